// The core database as an SQLite file, and such a file loaded back into an empty database. A city
// database is backed up as its export file (export/sqlite.ts), which the operator's restore also
// reads; the core database has no export format, so its file is a plain copy: the schema as the
// database holds it (tables, indexes, triggers, views, in the order they were made, the
// migrations' own record included) and every row of every table, values as stored.
import type { Client, InStatement, InValue, Row } from '@libsql/client';
import { sqlJs } from '../export/sqlite.ts';

type Value = string | number | null | Uint8Array;

interface SchemaEntry {
	type: string;
	name: string;
	sql: string;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every object made by a migration; SQLite's own (sqlite_sequence, autoindexes) and libSQL's come with them. */
const SCHEMA_SQL =
	"SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'libsql_%' ORDER BY rowid";

function toValue(value: unknown): Value {
	if (value === null || value === undefined) return null;
	if (typeof value === 'bigint') return Number(value);
	if (value instanceof ArrayBuffer) return new Uint8Array(value);
	if (value instanceof Uint8Array || typeof value === 'string' || typeof value === 'number') return value;
	return String(value);
}

export interface DatabaseSnapshot {
	schema: SchemaEntry[];
	/** Each table's column names and rows, in the schema's order. */
	tables: { name: string; columns: string[]; rows: Value[][] }[];
}

const rowValues = (row: Row, width: number) => Array.from({ length: width }, (_, i) => toValue(row[i]));

/** Every table's rows, read in one batch (one consistent snapshot). */
export async function readSnapshot(client: Client): Promise<DatabaseSnapshot> {
	const schema = (await client.execute(SCHEMA_SQL)).rows.map((r) => ({
		type: String(r.type),
		name: String(r.name),
		sql: String(r.sql)
	}));
	const names = schema.filter((s) => s.type === 'table').map((s) => s.name);
	if (names.length === 0) return { schema, tables: [] };
	const results = await client.batch(
		names.map((name) => `SELECT * FROM ${quoted(name)}`),
		'read'
	);
	return {
		schema,
		tables: names.map((name, i) => ({
			name,
			columns: results[i]!.columns,
			rows: results[i]!.rows.map((row) => rowValues(row, results[i]!.columns.length))
		}))
	};
}

/** The snapshot as an SQLite file that any SQLite opens. */
export async function snapshotToSqlite(snapshot: DatabaseSnapshot): Promise<Uint8Array> {
	const SQL = await sqlJs();
	const db = new SQL.Database();
	try {
		for (const entry of snapshot.schema) if (entry.type === 'table') db.run(entry.sql);
		db.run('BEGIN');
		for (const table of snapshot.tables) {
			if (table.rows.length === 0) continue;
			const insert = db.prepare(
				`INSERT INTO ${quoted(table.name)} (${table.columns.map(quoted).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`
			);
			try {
				for (const row of table.rows) insert.run(row);
			} finally {
				insert.free();
			}
		}
		db.run('COMMIT');
		// Indexes and triggers after the rows, so that no trigger fires on a copied row.
		for (const entry of snapshot.schema) if (entry.type !== 'table') db.run(entry.sql);
		return db.export();
	} finally {
		db.close();
	}
}

/** What an SQLite file made by snapshotToSqlite holds. */
export async function sqliteToSnapshot(bytes: Uint8Array): Promise<DatabaseSnapshot> {
	const SQL = await sqlJs();
	const db = new SQL.Database(bytes);
	try {
		const schema = (db.exec(SCHEMA_SQL)[0]?.values ?? []).map(([type, name, sql]) => ({
			type: String(type),
			name: String(name),
			sql: String(sql)
		}));
		const tables = schema
			.filter((s) => s.type === 'table')
			.map(({ name }) => {
				const statement = db.prepare(`SELECT * FROM ${quoted(name)}`);
				try {
					const columns = statement.getColumnNames();
					const rows: Value[][] = [];
					while (statement.step()) rows.push(statement.get().map(toValue));
					return { name, columns, rows };
				} finally {
					statement.free();
				}
			});
		return { schema, tables };
	} finally {
		db.close();
	}
}

/** Bound values per INSERT, under every SQLite's limit (999 in old builds). */
const VALUES_PER_INSERT = 900;

/**
 * Writes the snapshot into an empty database in one transaction with foreign keys off (a table's
 * rows may come before the rows they refer to): tables, rows, then indexes, triggers and views.
 */
export async function loadSnapshot(client: Client, snapshot: DatabaseSnapshot): Promise<void> {
	const statements: InStatement[] = snapshot.schema.filter((s) => s.type === 'table').map((s) => s.sql);
	for (const table of snapshot.tables) {
		const perInsert = Math.max(1, Math.floor(VALUES_PER_INSERT / table.columns.length));
		const head = `INSERT INTO ${quoted(table.name)} (${table.columns.map(quoted).join(', ')}) VALUES `;
		const tuple = `(${table.columns.map(() => '?').join(', ')})`;
		for (let start = 0; start < table.rows.length; start += perInsert) {
			const chunk = table.rows.slice(start, start + perInsert);
			statements.push({ sql: head + chunk.map(() => tuple).join(', '), args: chunk.flat() as InValue[] });
		}
	}
	for (const entry of snapshot.schema) if (entry.type !== 'table') statements.push(entry.sql);
	await client.migrate(statements);
}

/** The objects a database already has (0: it is empty). */
export async function schemaObjects(client: Client): Promise<number> {
	return (await client.execute(SCHEMA_SQL)).rows.length;
}

export const snapshotCounts = (snapshot: DatabaseSnapshot) =>
	Object.fromEntries(snapshot.tables.map((t) => [t.name, t.rows.length]));
