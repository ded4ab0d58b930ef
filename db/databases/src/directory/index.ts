// A TenantDirectory creates, locates and deletes the one database each city owns.
// Three implementations: embedded files, sqld namespaces, and Turso's Platform API.
import type { DatabaseLocation } from '../client.ts';

export interface TenantDirectory {
	readonly kind: 'embedded' | 'sqld' | 'turso';
	/** Creates the database if it does not exist yet; returns where it is. Idempotent. */
	ensure(name: string): Promise<DatabaseLocation>;
	/** Where a database is, without creating it. */
	locate(name: string): DatabaseLocation;
	/** Deletes the database and all its data (unsubscription). Absent is not an error. */
	destroy(name: string): Promise<void>;
}

export class DirectoryError extends Error {
	override readonly name = 'DirectoryError';
	readonly status: number | undefined;
	constructor(message: string, status?: number) {
		super(message);
		this.status = status;
	}
}

/** Database names are used in URLs, paths and hostnames: keep them to a safe alphabet. */
export function assertDatabaseName(name: string): void {
	if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name))
		throw new DirectoryError(`invalid database name: ${JSON.stringify(name)}`);
}

/** The name of a city's database in the directory. */
export function tenantDatabaseName(slug: string): string {
	return `tenant-${slug}`;
}

export { SqldDirectory, type SqldDirectoryOptions } from './sqld.ts';
export { TursoDirectory, type TursoDirectoryOptions } from './turso.ts';
export { directoryFromEnv, type DirectoryEnv } from './env.ts';
