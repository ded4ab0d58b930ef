// What workers/api/test/core.global.ts provides to the tests that run inside workerd.
declare module 'vitest' {
	export interface ProvidedContext {
		coreUrl: string;
	}
}
export {};
