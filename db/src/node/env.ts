// Reads the database settings of a Node process (scripts, tests) from its environment.
import { resolve } from 'node:path';
import type { DatabaseLocation } from '../client.ts';
import { SqldDirectory, TursoDirectory, type TenantDirectory } from '../directory/index.ts';
import { EmbeddedDirectory } from './embedded-directory.ts';

export interface NodeDatabaseConfig {
	directory: TenantDirectory;
	/** The core database's name in the directory. */
	coreName: string;
	core: DatabaseLocation;
}

export const CORE_DATABASE_NAME = 'core';

/**
 * MAMORI_DB=embedded|sqld|turso chooses the directory.
 * embedded: MAMORI_DATA_DIR (default .data/embedded); sqld: SQLD_HTTP_URL, SQLD_ADMIN_URL;
 * turso: TURSO_ORGANIZATION, TURSO_GROUP, TURSO_API_TOKEN, TURSO_GROUP_TOKEN, CORE_DATABASE_URL.
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NodeDatabaseConfig {
	const mode = env.MAMORI_DB ?? 'sqld';
	let directory: TenantDirectory;
	if (mode === 'embedded') {
		directory = new EmbeddedDirectory(resolve(env.MAMORI_DATA_DIR ?? '.data/embedded'));
	} else if (mode === 'sqld') {
		directory = new SqldDirectory({
			httpUrl: env.SQLD_HTTP_URL ?? 'http://localhost:8080',
			adminUrl: env.SQLD_ADMIN_URL ?? 'http://127.0.0.1:9090'
		});
	} else if (mode === 'turso') {
		const required = ['TURSO_ORGANIZATION', 'TURSO_GROUP', 'TURSO_API_TOKEN', 'TURSO_GROUP_TOKEN'] as const;
		for (const key of required) if (!env[key]) throw new Error(`MAMORI_DB=turso needs ${key}`);
		directory = new TursoDirectory({
			organization: env.TURSO_ORGANIZATION!,
			group: env.TURSO_GROUP!,
			apiToken: env.TURSO_API_TOKEN!,
			groupToken: env.TURSO_GROUP_TOKEN!,
			...(env.TURSO_API_URL ? { baseUrl: env.TURSO_API_URL } : {})
		});
	} else {
		throw new Error(`MAMORI_DB must be embedded, sqld or turso (got ${mode})`);
	}
	const core = env.CORE_DATABASE_URL
		? { url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN }
		: directory.locate(CORE_DATABASE_NAME);
	return { directory, coreName: CORE_DATABASE_NAME, core };
}
