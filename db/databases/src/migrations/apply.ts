// Applies bundled migrations with the same semantics as drizzle's libSQL migrator (drizzle-orm/
// libsql/migrator): the same __drizzle_migrations table, hash and created_at = the journal's
// `when`, the same "newer than the last applied" rule, one batch with foreign keys off. Drizzle's
// migrator reads the migration folder from disk, which a Worker has not; this reads a bundle
// generated from that folder (db/scripts/bundle-migrations.ts), so the web app can migrate a new
// tenant database in workerd, and the fleet migrator later sees it as up to date.
import type { Client } from '@libsql/client';

export interface BundledMigration {
	tag: string;
	/** The journal's `when`: drizzle stores it as created_at and compares by it. */
	folderMillis: number;
	/** SHA-256 (hex) of the .sql file, as drizzle computes it. */
	hash: string;
	/** The file split at `--> statement-breakpoint`, as drizzle splits it. */
	sql: string[];
}

const TABLE = '"__drizzle_migrations"';

async function lastApplied(client: Client): Promise<number | null> {
	await client.execute(
		`CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`
	);
	const result = await client.execute(`SELECT id, hash, created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`);
	const row = result.rows[0];
	return row ? Number(row.created_at) : null;
}

/** Applies what is pending; returns the tag of the newest migration now applied. */
export async function applyMigrations(client: Client, migrations: readonly BundledMigration[]): Promise<string> {
	const last = await lastApplied(client);
	const statements = migrations
		.filter((m) => last === null || last < m.folderMillis)
		.flatMap((m) => [
			...m.sql.map((text) => ({ sql: text, args: [] })),
			{ sql: `INSERT INTO ${TABLE} ("hash", "created_at") VALUES(?, ?)`, args: [m.hash, m.folderMillis] }
		]);
	if (statements.length > 0) await client.migrate(statements);
	const newest = migrations.at(-1);
	if (!newest) throw new Error('no migrations in the bundle');
	return newest.tag;
}

/** The tag of the newest migration a database has, by the bundle's journal; null if none. */
export async function appliedVersion(client: Client, migrations: readonly BundledMigration[]): Promise<string | null> {
	const result = await client.execute(`SELECT created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`);
	const row = result.rows[0];
	if (!row) return null;
	const at = Number(row.created_at);
	return migrations.findLast((m) => m.folderMillis <= at)?.tag ?? null;
}
