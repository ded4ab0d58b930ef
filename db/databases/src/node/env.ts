// Reads the database settings of a Node process (scripts, tests) from its environment.
import { resolve } from 'node:path';
import type { DatabaseLocation } from '../client.ts';
import { directoryFromEnv, type TenantDirectory } from '../directory/index.ts';
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
	} else if (mode === 'sqld' || mode === 'turso') {
		directory = directoryFromEnv(env);
	} else {
		throw new Error(`MAMORI_DB must be embedded, sqld or turso (got ${mode})`);
	}
	const core = env.CORE_DATABASE_URL
		? { url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN }
		: directory.locate(CORE_DATABASE_NAME);
	return { directory, coreName: CORE_DATABASE_NAME, core };
}
