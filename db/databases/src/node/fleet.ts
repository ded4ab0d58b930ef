// The fleet migrator: applies pending migrations to the core database and to every tenant
// database with drizzle's libSQL migrator, records each database's schema version in the core
// database, and goes on past a failing database so that one bad tenant never blocks the rest.
// A failed tenant keeps its old version and error; the next run resumes it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { openCore, openTenant, type CoreDb, type DatabaseLocation } from '../client.ts';
import { tenants } from '../core/schema.ts';
import { eachBounded } from '../fleet/pool.ts';
import { withRetry } from '../fleet/retry.ts';

export const migrationsFolder = {
	core: fileURLToPath(new URL('../../migrations/core', import.meta.url)),
	tenant: fileURLToPath(new URL('../../migrations/tenant', import.meta.url))
};

/** The tag of the newest migration in a folder, e.g. "0003_add_publications". */
export function latestVersion(folder: string): string {
	const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as {
		entries: { tag: string }[];
	};
	const last = journal.entries.at(-1);
	if (!last) throw new Error(`no migrations in ${folder}`);
	return last.tag;
}

/** Applies a folder's pending migrations to a database just opened, closes it, and says its version. */
async function migrateDatabase<Schema extends Record<string, unknown>>(
	db: LibSQLDatabase<Schema> & { $client: Client },
	folder: string
): Promise<string> {
	try {
		await migrate(db, { migrationsFolder: folder });
	} finally {
		db.$client.close();
	}
	return latestVersion(folder);
}

export function migrateCore(location: DatabaseLocation): Promise<string> {
	return migrateDatabase(openCore(location), migrationsFolder.core);
}

export function migrateTenantDatabase(location: DatabaseLocation): Promise<string> {
	return migrateDatabase(openTenant(location), migrationsFolder.tenant);
}

export interface TenantMigrationResult {
	slug: string;
	databaseName: string;
	ok: boolean;
	version: string | null;
	error?: string;
}

export interface FleetReport {
	coreVersion: string;
	tenants: TenantMigrationResult[];
	failed: TenantMigrationResult[];
}

export interface FleetOptions {
	core: DatabaseLocation;
	/** Where a tenant database is, by its name in the directory. */
	locate: (databaseName: string) => DatabaseLocation;
	/** Databases migrated at once (8: twice the backup's; more only overloads a busy sqld). */
	concurrency?: number;
	log?: (line: string) => void;
}

export async function migrateFleet(options: FleetOptions): Promise<FleetReport> {
	const log = options.log ?? (() => {});
	const coreVersion = await migrateCore(options.core);
	log(`core: ${coreVersion}`);
	const core = openCore(options.core);
	try {
		const fleet = await core
			.select({
				id: tenants.id,
				slug: tenants.slug,
				databaseName: tenants.databaseName,
				schemaVersion: tenants.schemaVersion
			})
			.from(tenants)
			.orderBy(asc(tenants.slug));
		const results = await eachBounded(fleet, options.concurrency ?? 8, (tenant) =>
			migrateOne(core, tenant, options.locate(tenant.databaseName), log)
		);
		results.sort((a, b) => a.slug.localeCompare(b.slug));
		return { coreVersion, tenants: results, failed: results.filter((r) => !r.ok) };
	} finally {
		core.$client.close();
	}
}

async function migrateOne(
	core: CoreDb,
	tenant: { id: string; slug: string; databaseName: string; schemaVersion: string | null },
	location: DatabaseLocation,
	log: (line: string) => void
): Promise<TenantMigrationResult> {
	try {
		const version = await withRetry(() => migrateTenantDatabase(location), {
			onRetry: (error, attempt) => log(`${tenant.slug}: retrying after attempt ${attempt}: ${describeError(error)}`)
		});
		// The directory is the authority on where a database is (a local port, a Turso hostname).
		await withRetry(() =>
			core
				.update(tenants)
				.set({ schemaVersion: version, migratedAt: new Date(), migrationError: null, databaseUrl: location.url })
				.where(eq(tenants.id, tenant.id))
		);
		log(`${tenant.slug}: ${version}`);
		return { slug: tenant.slug, databaseName: tenant.databaseName, ok: true, version };
	} catch (error) {
		const message = describeError(error);
		// A failure that cannot even be recorded (the core overloaded) is reported, never ends the run.
		await withRetry(() => core.update(tenants).set({ migrationError: message }).where(eq(tenants.id, tenant.id))).catch(
			(recording: unknown) => log(`${tenant.slug}: the failure could not be recorded: ${describeError(recording)}`)
		);
		log(`${tenant.slug}: FAILED at ${tenant.schemaVersion ?? 'no version'}: ${message}`);
		return {
			slug: tenant.slug,
			databaseName: tenant.databaseName,
			ok: false,
			version: tenant.schemaVersion,
			error: message
		};
	}
}

/** An error and up to three of its causes, in one line (for a job's log and its failure record). */
export function describeError(error: unknown): string {
	const parts: string[] = [];
	let e: unknown = error;
	while (e instanceof Error && parts.length < 4) {
		parts.push(e.message);
		e = e.cause;
	}
	return parts.join(' ← ') || String(error);
}
