// The export as an SQLite database file: the city's tables as its database has them (the same
// migrations, so the same columns, indexes and triggers) with every row, that any SQLite tool
// opens; and such a file read back into the export document for a restore.
//
// A Worker has no file system and may not compile WebAssembly at run time, and @libsql/client is
// HTTP-only there, so the file is built and read in memory by sql.js's asm.js build (SQLite
// compiled to plain JavaScript; ~480 KB gzipped, loaded only when a file is made or read). It
// runs the same under Node and in workerd.
import type { SqlJsStatic } from 'sql.js';
import { tenantMigrations } from '@mamori/db/migrations/tenant';
import { invalid, InvalidError } from '../errors.ts';
import { EXPORT_FORMAT_VERSION, tableColumns, tableKeys, tableNames } from './format.ts';
import { insertStatements, readDocument } from './rows.ts';
import type { ExportDocument } from './format.ts';

/** PRAGMA application_id of a Mamori export ("MAMO"), beside PRAGMA user_version = the format version. */
export const SQLITE_APPLICATION_ID = 0x4d414d4f;
export const SQLITE_MAGIC = 'SQLite format 3\0';

/** sql.js, loaded once (also the backup's engine for the core database file). */
let engine: Promise<SqlJsStatic> | undefined;

export function sqlJs(): Promise<SqlJsStatic> {
	// sql.js asks where it was loaded from: in a Worker (a WorkerGlobalScope without `location`)
	// it would read self.location.href and throw. It loads nothing from there in its asm.js build.
	(globalThis as { __filename?: string }).__filename ??= 'sql-asm.js';
	engine ??= import('sql.js/dist/sql-asm-memory-growth.js')
		.then((module) => module.default())
		.catch((e: unknown) => {
			engine = undefined;
			throw e;
		});
	return engine;
}

export function isSqliteFile(bytes: Uint8Array): boolean {
	return new TextDecoder().decode(bytes.subarray(0, SQLITE_MAGIC.length)) === SQLITE_MAGIC;
}

/** The document as an SQLite file: the tenant schema (its migrations, recorded as drizzle records them) and every row. */
export async function documentToSqlite(document: ExportDocument): Promise<Uint8Array> {
	const SQL = await sqlJs();
	const db = new SQL.Database();
	try {
		db.run('CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
		for (const migration of tenantMigrations) {
			for (const statement of migration.sql) db.run(statement);
			db.run('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)', [
				migration.hash,
				migration.folderMillis
			]);
		}
		db.run('BEGIN');
		for (const { sql, args } of insertStatements(document)) db.run(sql, args);
		db.run('COMMIT');
		db.run(`PRAGMA application_id = ${SQLITE_APPLICATION_ID}`);
		db.run(`PRAGMA user_version = ${EXPORT_FORMAT_VERSION}`);
		return db.export();
	} finally {
		db.close();
	}
}

/**
 * The export document an SQLite file holds, unchecked (the restore checks it as it checks a JSON
 * file). Refuses, with a message for the file field, a file SQLite cannot open, one that is not a
 * Mamori export, one of another format version, and one that lacks a table or a column.
 */
export async function sqliteToDocument(bytes: Uint8Array): Promise<unknown> {
	const SQL = await sqlJs();
	let db: InstanceType<SqlJsStatic['Database']>;
	const pragma = (name: string) => Number(db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0]);
	let applicationId: number;
	try {
		db = new SQL.Database(bytes);
		applicationId = pragma('application_id');
	} catch {
		throw invalid('file', 'restore_sqlite_unreadable');
	}
	try {
		if (applicationId !== SQLITE_APPLICATION_ID) throw invalid('file', 'restore_sqlite_not_export');
		const version = pragma('user_version');
		if (version !== EXPORT_FORMAT_VERSION)
			throw invalid('file', 'restore_version_unsupported', { found: version, supported: EXPORT_FORMAT_VERSION });
		for (const table of tableKeys) {
			const present = new Set(db.exec(`PRAGMA table_info("${tableNames[table]}")`)[0]?.values.map((v) => String(v[1])));
			if (present.size === 0) throw invalid('file', 'restore_sqlite_no_table', { table: tableNames[table] });
			const missing = tableColumns[table].find((c) => !present.has(c.name));
			if (missing)
				throw invalid('file', 'restore_sqlite_no_column', { table: tableNames[table], column: missing.name });
		}
		return await readDocument(async (statements) =>
			statements.map((sql) => {
				const [result] = db.exec(sql);
				if (!result) return [];
				return result.values.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])));
			})
		);
	} catch (e) {
		if (e instanceof InvalidError) throw e;
		throw invalid('file', 'restore_sqlite_unreadable');
	} finally {
		db.close();
	}
}
