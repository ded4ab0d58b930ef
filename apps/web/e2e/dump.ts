// Whole-database dumps of the running stack (core and every seed city, over sqld's HTTP API), to
// prove that a submission wrote nothing that matters.
import { openCore, openTenant } from '@mamori/db';

type Rows = { rows: Record<string, unknown>[] };
type Database = {
	execute(sql: string): Promise<Rows>;
	batch(sql: string[], mode: 'read'): Promise<Rows[]>;
	close(): void;
};

export const SEED_CITIES = ['meguro', 'koganei', 'tomakomai'] as const;

/** Written by signing in and by reading pages, not by saving a form. */
const IGNORED_TABLES = /^(sessions|login_throttles)$|audit|history/;
/** What a save may move without changing anything: its version and when it was written. */
const IGNORED_COLUMNS = /^(version|updated_at)$/;

export function openDatabases(coreUrl: string, sqldHttpUrl: string): Record<string, Database> {
	return {
		core: openCore({ url: coreUrl }).$client,
		...Object.fromEntries(
			SEED_CITIES.map((slug) => [slug, openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` }).$client])
		)
	} as Record<string, Database>;
}

const cell = (_: string, v: unknown) =>
	v instanceof ArrayBuffer ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? String(v) : v;

/**
 * Every table's rows (order-independent), without the version and updated_at columns, the audit
 * and history tables, sessions and sign-in throttles: `{ "meguro.initiatives": "12 rows: …" }`.
 */
export async function dump(databases: Record<string, Database>): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	await Promise.all(
		Object.entries(databases).map(async ([db, client]) => {
			const { rows } = await client.execute(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name"
			);
			const names = rows.map((r) => String(r.name)).filter((n) => !IGNORED_TABLES.test(n));
			// One read transaction per database: one round trip to sqld (not one per table), and
			// every table as of the same moment.
			const tables = await client.batch(
				names.map((name) => `SELECT * FROM "${name.replace(/"/g, '""')}"`),
				'read'
			);
			for (const [i, name] of names.entries()) {
				const lines = tables[i]!.rows.map((row) =>
					JSON.stringify(
						Object.fromEntries(Object.entries(row).filter(([column]) => !IGNORED_COLUMNS.test(column))),
						cell
					)
				);
				out[`${db}.${name}`] = `${lines.length} rows:\n${lines.sort().join('\n')}`;
			}
		})
	);
	return out;
}

/** The tables whose dumps differ, each with the rows only one side has. */
export function differences(before: Record<string, string>, after: Record<string, string>): string[] {
	const out: string[] = [];
	for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
		if (before[table] === after[table]) continue;
		const rows = (s: string | undefined) => new Set((s ?? '').split('\n').slice(1));
		const [b, a] = [rows(before[table]), rows(after[table])];
		const gone = [...b].filter((r) => !a.has(r)).map((r) => `- ${r.slice(0, 400)}`);
		const added = [...a].filter((r) => !b.has(r)).map((r) => `+ ${r.slice(0, 400)}`);
		out.push(`${table}:\n${[...gone, ...added].join('\n')}`);
	}
	return out;
}
