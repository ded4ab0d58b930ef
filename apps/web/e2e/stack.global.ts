// Starts the whole stack once for the browser tests: sqld, migrations, seed, and the built app
// and the API worker in workerd on random loopback ports. Needs `npm run build` first (npm test does it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '@mamori/db/node';
import { repoRoot, startStack } from '../scripts/stack.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		appUrl: string;
		apiUrl: string;
		coreUrl: string;
		sqldHttpUrl: string;
		sqldAdminUrl: string;
	}
}

export default async function setup(project: TestProject) {
	if (!existsSync(join(repoRoot, 'apps/web/.svelte-kit/cloudflare/_worker.js')))
		throw new Error('The web app is not built: run `npm run build` first (npm test does).');
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-e2e-'));
	const stack = await startStack({ port: await freePort(), apiPort: await freePort(), dataDir });
	project.provide('appUrl', stack.url);
	project.provide('apiUrl', stack.apiUrl!);
	project.provide('coreUrl', stack.coreUrl);
	project.provide('sqldHttpUrl', stack.sqld.httpUrl);
	project.provide('sqldAdminUrl', stack.sqld.adminUrl);
	return async () => {
		await stack.stop();
		rmSync(dataDir, { recursive: true, force: true });
	};
}
