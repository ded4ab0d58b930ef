import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { describe, expect, it } from 'vitest';
import { sqldDirectory, uniqueName } from '../../test/directories.ts';
import { openTenant } from '../client.ts';
import { appliedVersion, applyMigrations } from '../migrations/apply.ts';
import { tenantMigrations } from '../migrations/tenant.ts';
import { latestVersion, migrationsFolder } from './fleet.ts';
import { bundleFolder, renderBundle } from './migration-bundle.ts';

const schemaOf = async (db: ReturnType<typeof openTenant>) =>
	(
		await db.$client.execute(
			"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
		)
	).rows.map((r) => ({ ...r, sql: String(r.sql).replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')') }));

describe('the tenant migrations bundle (for workerd)', () => {
	it('matches db/databases/migrations/tenant exactly — run `npm run db:bundle` after generating a migration', async () => {
		expect(tenantMigrations).toEqual(bundleFolder(migrationsFolder.tenant));
		const committed = readFileSync(fileURLToPath(new URL('../migrations/tenant.ts', import.meta.url)), 'utf8');
		expect(committed).toBe(
			await renderBundle('tenantMigrations', 'db/databases/migrations/tenant', bundleFolder(migrationsFolder.tenant))
		);
		expect(tenantMigrations.at(-1)!.tag).toBe(latestVersion(migrationsFolder.tenant));
	});

	it('applies like drizzle’s libSQL migrator: same schema, same journal rows, and drizzle then has nothing to do', async () => {
		const directory = sqldDirectory();
		const viaBundle = openTenant(await directory.ensure(uniqueName('bundle')));
		const viaDrizzle = openTenant(await directory.ensure(uniqueName('drizzle')));
		try {
			expect(await appliedVersion(viaBundle.$client, tenantMigrations).catch(() => 'no table')).toBe('no table');
			expect(await applyMigrations(viaBundle.$client, tenantMigrations)).toBe(tenantMigrations.at(-1)!.tag);
			await migrate(viaDrizzle, { migrationsFolder: migrationsFolder.tenant });
			const journal = 'SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at';
			const rows = async (db: typeof viaBundle) => (await db.$client.execute(journal)).rows.map((r) => ({ ...r }));
			expect(await rows(viaBundle)).toEqual(await rows(viaDrizzle));
			expect(await schemaOf(viaBundle)).toEqual(await schemaOf(viaDrizzle));
			// Either migrator, run again on the other's database, changes nothing.
			await migrate(viaBundle, { migrationsFolder: migrationsFolder.tenant });
			await applyMigrations(viaDrizzle.$client, tenantMigrations);
			expect(await rows(viaBundle)).toEqual(await rows(viaDrizzle));
			expect((await rows(viaBundle)).length).toBe(tenantMigrations.length);
			expect(await appliedVersion(viaDrizzle.$client, tenantMigrations)).toBe(tenantMigrations.at(-1)!.tag);
		} finally {
			viaBundle.$client.close();
			viaDrizzle.$client.close();
		}
	});

	it('a database one migration behind gets only the missing one', async () => {
		if (tenantMigrations.length < 2) return;
		const db = openTenant(await sqldDirectory().ensure(uniqueName('behind')));
		try {
			await applyMigrations(db.$client, tenantMigrations.slice(0, -1));
			expect(await appliedVersion(db.$client, tenantMigrations)).toBe(tenantMigrations.at(-2)!.tag);
			await applyMigrations(db.$client, tenantMigrations);
			expect(await appliedVersion(db.$client, tenantMigrations)).toBe(tenantMigrations.at(-1)!.tag);
		} finally {
			db.$client.close();
		}
	});
});
