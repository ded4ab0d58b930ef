// The city export format: one JSON document with every row of every table of a city's database,
// ids and versions included, so that restoring it into a new city database and exporting again
// gives the same document. The zod schema below is built from the tenant schema's own column
// definitions, and the published JSON Schema (docs/export-format.md, /export-format.schema.json)
// is generated from it: the format, its check and its documentation have one source. A change
// of the tenant schema changes the generated JSON Schema, and a test compares it with the
// committed docs/export-format.schema.json, so a format change is always a deliberate one.
import { getTableColumns, type Column } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { recordPhases, tenantSchema } from '@mamori/db/tenant';

export const EXPORT_FORMAT = 'mamori-city-export';
export const EXPORT_FORMAT_VERSION = 1;
/** Where the app serves the JSON Schema (the same text as docs/export-format.schema.json). */
export const EXPORT_SCHEMA_PATH = '/export-format.schema.json';

export type TableKey = keyof typeof tenantSchema;
/** The tables in the order they are written: a row's references come before it. */
export const tableKeys = Object.keys(tenantSchema) as TableKey[];

const strings = z.array(z.string());
/** JSON columns whose shape the app relies on; the audit log's before/after is any JSON. */
const jsonShapes: Record<string, z.ZodType> = {
	'plans.levelLabels': strings,
	'plans.recordColumns': z.partialRecord(z.enum(recordPhases), z.string()).nullable(),
	'planNodes.currentState': strings.nullable(),
	'planNodes.relatedPlans': strings.nullable(),
	'planNodes.recordColumns': z.partialRecord(z.enum(recordPhases), z.string()).nullable(),
	'initiatives.taxonomyReview': strings.nullable()
};

export interface ColumnCodec {
	/** The key in the document (the app's name for the column). */
	key: string;
	/** The column in the database. */
	name: string;
	kind: 'text' | 'integer' | 'real' | 'boolean' | 'timestamp' | 'json';
}

function kindOf(column: Column): ColumnCodec['kind'] {
	switch (column.columnType) {
		case 'SQLiteText':
			return 'text';
		case 'SQLiteInteger':
			return 'integer';
		case 'SQLiteReal':
			return 'real';
		case 'SQLiteBoolean':
			return 'boolean';
		case 'SQLiteTimestamp':
			return 'timestamp';
		case 'SQLiteTextJson':
			return 'json';
		default:
			throw new Error(`export format: no codec for ${column.columnType}`);
	}
}

/** Each table's columns: document key, database name and kind, in the schema's order. */
export const tableColumns = Object.fromEntries(
	tableKeys.map((table) => [
		table,
		Object.entries(getTableColumns(tenantSchema[table] as SQLiteTable)).map(([key, column]): ColumnCodec => ({
			key,
			name: column.name,
			kind: kindOf(column)
		}))
	])
) as Record<TableKey, ColumnCodec[]>;

export const tableNames = Object.fromEntries(
	tableKeys.map((table) => [table, getTableConfig(tenantSchema[table] as SQLiteTable).name])
) as Record<TableKey, string>;

function columnSchema(table: TableKey, key: string, column: Column): z.ZodType {
	const shape = jsonShapes[`${table}.${key}`];
	if (shape) return shape;
	let schema: z.ZodType;
	switch (kindOf(column)) {
		case 'text':
			schema = column.enumValues ? z.enum(column.enumValues as [string, ...string[]]) : z.string();
			break;
		case 'integer':
			schema = z.int();
			break;
		case 'timestamp':
			schema = z.int().meta({ description: 'milliseconds since 1970-01-01T00:00:00Z' });
			break;
		case 'real':
			schema = z.number();
			break;
		case 'boolean':
			schema = z.boolean();
			break;
		case 'json':
			return z.json();
	}
	return column.notNull ? schema : schema.nullable();
}

function rowSchema(table: TableKey) {
	const columns = getTableColumns(tenantSchema[table] as SQLiteTable);
	return z
		.strictObject(Object.fromEntries(Object.entries(columns).map(([key, c]) => [key, columnSchema(table, key, c)])))
		.meta({ description: `a row of the table ${tableNames[table]}` });
}

export const exportDocument = z
	.strictObject({
		format: z.literal(EXPORT_FORMAT),
		formatVersion: z.literal(EXPORT_FORMAT_VERSION),
		tables: z.strictObject(
			Object.fromEntries(tableKeys.map((table) => [table, z.array(rowSchema(table))])) as {
				[K in TableKey]: z.ZodArray<ReturnType<typeof rowSchema>>;
			}
		)
	})
	.meta({
		title: 'Mamori city export',
		description: "All of one city's data in Mamori: every row of every table of the city's database, ids included."
	});

export type ExportRow = Record<string, unknown>;
export type ExportDocument = {
	format: typeof EXPORT_FORMAT;
	formatVersion: typeof EXPORT_FORMAT_VERSION;
	tables: Record<TableKey, ExportRow[]>;
};

/** The JSON Schema of the format, generated from `exportDocument`. */
export function exportJsonSchema(): Record<string, unknown> {
	return { $id: EXPORT_SCHEMA_PATH, ...z.toJSONSchema(exportDocument, { target: 'draft-2020-12' }) };
}

/** A reference from a column to another table's key, declared in the schema or by convention (parentId). */
export interface Reference {
	table: TableKey;
	column: string;
	target: TableKey;
	targetColumn: string;
}

const keyOfTable = (sqlName: string) => tableKeys.find((t) => tableNames[t] === sqlName)!;
const keyOfColumn = (table: TableKey, sqlName: string) => tableColumns[table].find((c) => c.name === sqlName)!.key;

/** Every reference between rows: the schema's foreign keys, and the trees (parentId) it leaves undeclared. */
export const references: Reference[] = [
	...tableKeys.flatMap((table) =>
		getTableConfig(tenantSchema[table] as SQLiteTable).foreignKeys.map((fk): Reference => {
			const r = fk.reference();
			const target = keyOfTable(getTableConfig(r.foreignTable).name);
			return {
				table,
				column: keyOfColumn(table, r.columns[0]!.name),
				target,
				targetColumn: keyOfColumn(target, r.foreignColumns[0]!.name)
			};
		})
	),
	{ table: 'departments', column: 'parentId', target: 'departments', targetColumn: 'id' },
	{ table: 'planNodes', column: 'parentId', target: 'planNodes', targetColumn: 'id' }
];

/** Each table's key columns (document keys): its primary key, or the composite one. */
export const primaryKeys = Object.fromEntries(
	tableKeys.map((table) => {
		const config = getTableConfig(tenantSchema[table] as SQLiteTable);
		const composite = config.primaryKeys[0];
		const names = composite
			? composite.columns.map((c) => c.name)
			: config.columns.filter((c) => c.primary).map((c) => c.name);
		return [table, names.map((n) => keyOfColumn(table, n))];
	})
) as Record<TableKey, string[]>;

/** Columns whose values must be unique (besides the key). */
export const uniqueColumns = Object.fromEntries(
	tableKeys.map((table) => [
		table,
		getTableConfig(tenantSchema[table] as SQLiteTable)
			.columns.filter((c) => c.isUnique)
			.map((c) => keyOfColumn(table, c.name))
	])
) as Record<TableKey, string[]>;
