// The TenantDirectory described by a Worker's (or a process's) environment. Edge-safe: the sqld
// and Turso directories work over fetch. Embedded files exist only under Node (db/src/node/env.ts).
import { SqldDirectory } from './sqld.ts';
import { TursoDirectory } from './turso.ts';
import type { TenantDirectory } from './index.ts';

export interface DirectoryEnv {
	MAMORI_DB?: string | undefined;
	SQLD_HTTP_URL?: string | undefined;
	SQLD_ADMIN_URL?: string | undefined;
	SQLD_AUTH_TOKEN?: string | undefined;
	TURSO_ORGANIZATION?: string | undefined;
	TURSO_GROUP?: string | undefined;
	TURSO_API_TOKEN?: string | undefined;
	TURSO_GROUP_TOKEN?: string | undefined;
	TURSO_API_URL?: string | undefined;
}

/** MAMORI_DB=sqld (default: SQLD_HTTP_URL, SQLD_ADMIN_URL) or turso (TURSO_*). */
export function directoryFromEnv(env: DirectoryEnv): TenantDirectory {
	const mode = env.MAMORI_DB ?? 'sqld';
	if (mode === 'sqld')
		return new SqldDirectory({
			httpUrl: env.SQLD_HTTP_URL ?? 'http://localhost:8080',
			adminUrl: env.SQLD_ADMIN_URL ?? 'http://127.0.0.1:9090',
			...(env.SQLD_AUTH_TOKEN ? { authToken: env.SQLD_AUTH_TOKEN } : {})
		});
	if (mode === 'turso') {
		const required = ['TURSO_ORGANIZATION', 'TURSO_GROUP', 'TURSO_API_TOKEN', 'TURSO_GROUP_TOKEN'] as const;
		for (const key of required) if (!env[key]) throw new Error(`MAMORI_DB=turso needs ${key}`);
		return new TursoDirectory({
			organization: env.TURSO_ORGANIZATION!,
			group: env.TURSO_GROUP!,
			apiToken: env.TURSO_API_TOKEN!,
			groupToken: env.TURSO_GROUP_TOKEN!,
			...(env.TURSO_API_URL ? { baseUrl: env.TURSO_API_URL } : {})
		});
	}
	throw new Error(`MAMORI_DB must be sqld or turso here (got ${mode})`);
}
