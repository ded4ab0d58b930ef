// Rows between a city database and the export document: read as the database holds them (raw
// SQL, so a libSQL server and an SQLite file are read the same way), written back as they were.
// Dates stay milliseconds, booleans become true/false, JSON columns are parsed.
import {
	EXPORT_FORMAT,
	EXPORT_FORMAT_VERSION,
	primaryKeys,
	tableColumns,
	tableKeys,
	tableNames,
	type ExportDocument,
	type ExportRow,
	type TableKey
} from './format.ts';

type Value = string | number | null;
export interface Statement {
	sql: string;
	args: Value[];
}

/** Runs read-only statements and answers each one's rows as column name → value. */
export type ReadRows = (sql: string[]) => Promise<Record<string, unknown>[][]>;

const quoted = (name: string) => `"${name}"`;

function selectSql(table: TableKey): string {
	const columns = tableColumns[table].map((c) => quoted(c.name)).join(', ');
	const order = primaryKeys[table].map((key) => quoted(tableColumns[table].find((c) => c.key === key)!.name));
	return `SELECT ${columns} FROM ${quoted(tableNames[table])} ORDER BY ${order.join(', ')}`;
}

function fromDatabase(table: TableKey, raw: Record<string, unknown>): ExportRow {
	const row: ExportRow = {};
	for (const { key, name, kind } of tableColumns[table]) {
		const value = raw[name] ?? null;
		if (value === null) row[key] = null;
		else if (kind === 'boolean') row[key] = Number(value) !== 0;
		else if (kind === 'json') row[key] = JSON.parse(String(value)) as unknown;
		else if (kind === 'text') row[key] = String(value);
		else row[key] = Number(value);
	}
	return row;
}

/** Every row of every table, in a stable order (by key): the same database gives the same document. */
export async function readDocument(read: ReadRows): Promise<ExportDocument> {
	const results = await read(tableKeys.map(selectSql));
	const tables = Object.fromEntries(
		tableKeys.map((table, i) => [table, results[i]!.map((raw) => fromDatabase(table, raw))])
	) as ExportDocument['tables'];
	return { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, tables };
}

function toDatabase(kind: string, value: unknown): Value {
	if (value === null || value === undefined) return null;
	if (kind === 'boolean') return value ? 1 : 0;
	if (kind === 'json') return JSON.stringify(value);
	return value as Value;
}

/** Rows per INSERT: at most 24 columns each, well under SQLite's limit on bound parameters. */
const ROWS_PER_INSERT = 100;

/** INSERTs that write every row of the document, references first. */
export function insertStatements(document: ExportDocument): Statement[] {
	const statements: Statement[] = [];
	for (const table of tableKeys) {
		const columns = tableColumns[table];
		const rows = document.tables[table];
		const head = `INSERT INTO ${quoted(tableNames[table])} (${columns.map((c) => quoted(c.name)).join(', ')}) VALUES `;
		const tuple = `(${columns.map(() => '?').join(', ')})`;
		for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
			const chunk = rows.slice(start, start + ROWS_PER_INSERT);
			statements.push({
				sql: head + chunk.map(() => tuple).join(', '),
				args: chunk.flatMap((row) => columns.map((c) => toDatabase(c.kind, row[c.key])))
			});
		}
	}
	return statements;
}

export const rowCount = (document: ExportDocument) =>
	tableKeys.reduce((n, table) => n + document.tables[table].length, 0);
