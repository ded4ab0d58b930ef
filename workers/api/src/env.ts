import type { CoreDb } from '@mamori/db';

export interface Bindings {
	CORE_DATABASE_URL: string;
	CORE_DATABASE_AUTH_TOKEN?: string;
}

export interface Variables {
	core: CoreDb;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
