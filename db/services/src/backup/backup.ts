// Backups of the whole service: the core database and every city database, one file each, in a
// directory with a manifest (what each file is, its schema version, row counts and SHA-256).
// The list of cities is the core database's tenants table as the core file holds it. Cities are
// backed up a few at a time with the fleet's pool, a transient failure (a namespace being loaded,
// an overloaded server) is tried again, and a city that still fails is listed in the manifest
// without stopping the rest. Running the backup again on the same directory resumes it: a file
// the manifest already vouches for (its SHA-256 matches) is kept, the rest are made.
//
// A city's file is its export as an SQLite file (export/sqlite.ts), so it is also a file the
// operator's restore page accepts; the core's is a plain copy (database-file.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { openCore, openTenant, type DatabaseLocation } from '@mamori/db';
import {
	describeError,
	eachBounded,
	latestVersion,
	migrateTenantDatabase,
	migrationsFolder,
	withRetry
} from '@mamori/db/node';
import type { RetryOptions } from '@mamori/db/node';
import { readCity } from '../export/export.ts';
import { tableKeys, tableNames } from '../export/format.ts';
import { readExportFile } from '../export/restore.ts';
import { insertStatements } from '../export/rows.ts';
import { documentToSqlite } from '../export/sqlite.ts';
import {
	loadSnapshot,
	readSnapshot,
	schemaObjects,
	snapshotCounts,
	snapshotToSqlite,
	sqliteToSnapshot
} from './database-file.ts';

export const BACKUP_FORMAT = 'mamori-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';

export interface BackupFile {
	/** The city's tenant id and slug (absent for the core). */
	tenantId?: string;
	slug?: string;
	/** The file, relative to the backup directory. */
	file: string;
	bytes: number;
	sha256: string;
	/** The newest migration the database had. */
	version: string;
	rows: number;
	/** Rows per table, by the table's name in the database. */
	tables: Record<string, number>;
}

export interface TenantEntry {
	id: string;
	slug: string;
	databaseName: string;
}

export interface BackupManifest {
	format: typeof BACKUP_FORMAT;
	formatVersion: typeof BACKUP_FORMAT_VERSION;
	startedAt: string;
	/** Set when every database is in the directory. */
	completedAt: string | null;
	/** The core database's name in the directory it came from. */
	coreName: string;
	core: BackupFile | null;
	/** The cities the core file lists, by slug. */
	tenants: TenantEntry[];
	/** Each city's file, by the database's name. */
	files: Record<string, BackupFile>;
	/** The cities not backed up in the last run, and why. */
	failed: (TenantEntry & { error: string })[];
}

export interface BackupOptions {
	dir: string;
	core: DatabaseLocation;
	coreName: string;
	/** Where a city database is, by its name in the directory. */
	locate: (databaseName: string) => DatabaseLocation;
	concurrency?: number;
	retry?: Omit<RetryOptions, 'onRetry'>;
	log?: (line: string) => void;
	now?: () => Date;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file written whole or not at all: a stopped backup never leaves half a file under the real name. */
function writeWhole(path: string, bytes: Uint8Array | string) {
	writeFileSync(`${path}.partial`, bytes);
	renameSync(`${path}.partial`, path);
}

function readManifest(dir: string): BackupManifest | null {
	const path = join(dir, MANIFEST);
	if (!existsSync(path)) return null;
	const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
	if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== BACKUP_FORMAT_VERSION)
		throw new Error(`${path} is not a Mamori backup manifest of version ${BACKUP_FORMAT_VERSION}`);
	return manifest;
}

/** True when the manifest's file is in the directory as it was written. */
function intact(dir: string, file: BackupFile | null | undefined): file is BackupFile {
	if (!file) return false;
	const path = join(dir, file.file);
	return existsSync(path) && sha256(readFileSync(path)) === file.sha256;
}

/** The migration a database has, by the journal of its migrations folder. */
async function appliedTag(client: Client, folder: string): Promise<string> {
	const result = await client.execute('SELECT max(created_at) AS at FROM "__drizzle_migrations"');
	const at = Number(result.rows[0]?.at);
	const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as {
		entries: { tag: string; when: number }[];
	};
	const tag = journal.entries.findLast((e) => e.when <= at)?.tag;
	if (!tag) throw new Error('the database has no migration applied');
	return tag;
}

/** The city list as the core snapshot holds it (the same moment as the core file). */
function tenantsOf(snapshot: Awaited<ReturnType<typeof readSnapshot>>): TenantEntry[] {
	const table = snapshot.tables.find((t) => t.name === 'tenants');
	if (!table) throw new Error('the core database has no tenants table');
	const at = (column: string) => {
		const i = table.columns.indexOf(column);
		if (i < 0) throw new Error(`the tenants table has no column ${column}`);
		return i;
	};
	const [id, slug, databaseName] = [at('id'), at('slug'), at('database_name')];
	return table.rows
		.map((row) => ({ id: String(row[id]), slug: String(row[slug]), databaseName: String(row[databaseName]) }))
		.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

async function backupCore(options: BackupOptions): Promise<{ file: BackupFile; tenants: TenantEntry[] }> {
	const db = openCore({ ...options.core, deadlineMs: 0 });
	try {
		const version = await appliedTag(db.$client, migrationsFolder.core);
		const snapshot = await readSnapshot(db.$client);
		const bytes = await snapshotToSqlite(snapshot);
		const tables = snapshotCounts(snapshot);
		writeWhole(join(options.dir, 'core.sqlite'), bytes);
		return {
			file: {
				file: 'core.sqlite',
				bytes: bytes.length,
				sha256: sha256(bytes),
				version,
				rows: Object.values(tables).reduce((a, b) => a + b, 0),
				tables
			},
			tenants: tenantsOf(snapshot)
		};
	} finally {
		db.$client.close();
	}
}

async function backupCity(options: BackupOptions, tenant: TenantEntry): Promise<BackupFile> {
	const db = openTenant({ ...options.locate(tenant.databaseName), deadlineMs: 0 });
	try {
		// The file is written in the current code's schema: a city behind it must be migrated first.
		const version = await appliedTag(db.$client, migrationsFolder.tenant);
		const latest = latestVersion(migrationsFolder.tenant);
		if (version !== latest)
			throw new Error(`the database is at ${version}, not ${latest}: run npm run db:migrate first`);
		const document = await readCity(db.$client);
		const bytes = await documentToSqlite(document);
		const file = `tenants/${tenant.databaseName}.sqlite`;
		writeWhole(join(options.dir, file), bytes);
		const tables = Object.fromEntries(tableKeys.map((t) => [tableNames[t], document.tables[t].length]));
		return {
			tenantId: tenant.id,
			slug: tenant.slug,
			file,
			bytes: bytes.length,
			sha256: sha256(bytes),
			version,
			rows: Object.values(tables).reduce((a, b) => a + b, 0),
			tables
		};
	} finally {
		db.$client.close();
	}
}

/** Backs up the core and every city database into `dir`, or completes a backup begun there. */
export async function backupFleet(options: BackupOptions): Promise<BackupManifest> {
	const log = options.log ?? (() => {});
	const now = options.now ?? (() => new Date());
	mkdirSync(join(options.dir, 'tenants'), { recursive: true });
	const previous = readManifest(options.dir);
	const manifest: BackupManifest = previous ?? {
		format: BACKUP_FORMAT,
		formatVersion: BACKUP_FORMAT_VERSION,
		startedAt: now().toISOString(),
		completedAt: null,
		coreName: options.coreName,
		core: null,
		tenants: [],
		files: {},
		failed: []
	};
	if (previous?.completedAt && intact(options.dir, previous.core)) {
		const missing = previous.tenants.filter((t) => !intact(options.dir, previous.files[t.databaseName]));
		if (missing.length === 0) {
			log(`${options.dir} holds a complete backup of ${previous.completedAt}: nothing to do`);
			return previous;
		}
	}
	const save = () => writeWhole(join(options.dir, MANIFEST), `${JSON.stringify(manifest, null, '\t')}\n`);
	const retry = (what: string) => ({
		...options.retry,
		onRetry: (error: unknown, attempt: number) =>
			log(`${what}: retrying after attempt ${attempt}: ${describeError(error)}`)
	});

	if (intact(options.dir, manifest.core)) log('core: kept from the earlier run');
	else {
		// The core file and the city list are one snapshot: a new core file starts the cities afresh.
		const { file, tenants } = await withRetry(() => backupCore(options), retry('core'));
		Object.assign(manifest, { core: file, tenants, files: {}, completedAt: null });
		save();
		log(`core: ${file.rows} rows, ${file.version}`);
	}

	const failed: BackupManifest['failed'] = [];
	await eachBounded(manifest.tenants, options.concurrency ?? 4, async (tenant) => {
		if (intact(options.dir, manifest.files[tenant.databaseName])) return;
		try {
			const file = await withRetry(() => backupCity(options, tenant), retry(tenant.slug));
			manifest.files[tenant.databaseName] = file;
			save();
			log(`${tenant.slug}: ${file.rows} rows`);
		} catch (error) {
			failed.push({ ...tenant, error: describeError(error) });
			log(`${tenant.slug}: FAILED: ${describeError(error)}`);
		}
	});
	manifest.failed = failed.sort((a, b) => (a.slug < b.slug ? -1 : 1));
	manifest.completedAt = failed.length === 0 ? now().toISOString() : null;
	save();
	return manifest;
}

export interface RestoreTarget {
	/** Creates (or finds) the core database where it is to be restored. */
	core: () => Promise<DatabaseLocation>;
	/** Creates (or finds) a city database by its name. */
	ensure: (databaseName: string) => Promise<DatabaseLocation>;
}

export interface RestoreReport {
	databases: number;
	rows: number;
	/** Databases found already restored (a restore run again) and left alone. */
	kept: number;
	failed: { databaseName: string; error: string }[];
}

function readChecked(dir: string, file: BackupFile): Uint8Array {
	const bytes = readFileSync(join(dir, file.file));
	if (sha256(bytes) !== file.sha256) throw new Error(`${file.file} does not match its SHA-256 in the manifest`);
	return bytes;
}

/** Each listed table's row count in a database (a table it lacks counts as absent). */
async function counts(client: Client, tables: string[]): Promise<Record<string, number> | null> {
	const present = new Set(
		(await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) => String(r.name))
	);
	if (tables.some((t) => !present.has(t))) return null;
	const results = await client.batch(
		tables.map((t) => `SELECT count(*) AS n FROM "${t}"`),
		'read'
	);
	return Object.fromEntries(tables.map((t, i) => [t, Number(results[i]!.rows[0]!.n)]));
}

const same = (a: Record<string, number> | null, b: Record<string, number>) =>
	a !== null && Object.keys(b).every((t) => a[t] === b[t]);

type State = 'empty' | 'restored';

/** Whether a target database may be restored into: empty, or already holding exactly the backup. */
async function targetState(client: Client, file: BackupFile, migratedEmpty: boolean): Promise<State> {
	if ((await schemaObjects(client)) === 0) return 'empty';
	const found = await counts(client, Object.keys(file.tables));
	if (same(found, file.tables)) return 'restored';
	if (migratedEmpty && found && Object.values(found).every((n) => n === 0)) return 'empty';
	throw new Error('the target database already holds other data: restore into empty databases');
}

/**
 * Restores a complete backup into empty databases: the core first, then every city, a few at a
 * time, each city checked as the operator's restore checks an export file. Run again after a
 * failure, it leaves the databases already restored alone and restores the rest.
 */
export async function restoreFleet(options: {
	dir: string;
	target: RestoreTarget;
	concurrency?: number;
	retry?: Omit<RetryOptions, 'onRetry'>;
	log?: (line: string) => void;
}): Promise<RestoreReport> {
	const log = options.log ?? (() => {});
	const manifest = readManifest(options.dir);
	if (!manifest) throw new Error(`${join(options.dir, MANIFEST)} is missing: not a backup directory`);
	if (!manifest.completedAt || !manifest.core)
		throw new Error(`the backup in ${options.dir} is incomplete: run npm run backup on it again to complete it`);
	const latest = latestVersion(migrationsFolder.tenant);
	const retry = (what: string) => ({
		...options.retry,
		onRetry: (error: unknown, attempt: number) =>
			log(`${what}: retrying after attempt ${attempt}: ${describeError(error)}`)
	});
	const report: RestoreReport = { databases: 0, rows: 0, kept: 0, failed: [] };
	const core = manifest.core;

	const coreState = await withRetry(async () => {
		const db = openCore({ ...(await options.target.core()), deadlineMs: 0 });
		try {
			const state = await targetState(db.$client, core, false);
			if (state === 'empty') await loadSnapshot(db.$client, await sqliteToSnapshot(readChecked(options.dir, core)));
			return state;
		} finally {
			db.$client.close();
		}
	}, retry('core'));
	report.databases++;
	report.rows += core.rows;
	if (coreState === 'restored') report.kept++;
	log(`core: ${coreState === 'restored' ? 'already restored' : `${core.rows} rows`}`);

	const located: { databaseName: string; url: string }[] = [];
	await eachBounded(manifest.tenants, options.concurrency ?? 4, async (tenant) => {
		const file = manifest.files[tenant.databaseName];
		try {
			if (!file) throw new Error('the manifest lists no file for it');
			if (file.version !== latest)
				throw new Error(`its file is of schema ${file.version}; this code restores ${latest}`);
			const { document } = await readExportFile(readChecked(options.dir, file));
			const state = await withRetry(async () => {
				const location = { ...(await options.target.ensure(tenant.databaseName)), deadlineMs: 0 };
				const db = openTenant(location);
				try {
					const state = await targetState(db.$client, file, true);
					if (state === 'empty') {
						await migrateTenantDatabase(location);
						// One batch: the rows are all written, or none.
						await db.$client.batch(insertStatements(document), 'write');
					}
					located.push({ databaseName: tenant.databaseName, url: location.url });
					return state;
				} finally {
					db.$client.close();
				}
			}, retry(tenant.slug));
			report.databases++;
			report.rows += file.rows;
			if (state === 'restored') report.kept++;
			log(`${tenant.slug}: ${state === 'restored' ? 'already restored' : `${file.rows} rows`}`);
		} catch (error) {
			report.failed.push({ databaseName: tenant.databaseName, error: describeError(error) });
			log(`${tenant.slug}: FAILED: ${describeError(error)}`);
		}
	});
	// The core database says where each city's database is: here, now, not where it was backed up.
	if (located.length > 0) {
		const db = openCore({ ...(await options.target.core()), deadlineMs: 0 });
		try {
			await withRetry(
				() =>
					db.$client.batch(
						located.map(({ databaseName, url }) => ({
							sql: 'UPDATE "tenants" SET "database_url" = ? WHERE "database_name" = ?',
							args: [url, databaseName]
						})),
						'write'
					),
				retry('core')
			);
		} finally {
			db.$client.close();
		}
	}
	return report;
}
