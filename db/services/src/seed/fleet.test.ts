import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { openCore, openTenant, type DatabaseLocation } from '@mamori/db';
import { tenants } from '@mamori/db/core';
import { latestVersion, migrateCore, migrateFleet, migrationsFolder } from '@mamori/db/node';
import { readCoreSeeds, seedCore } from './seed.ts';

const seedsDir = fileURLToPath(new URL('../../../../seeds', import.meta.url));
const FLEET = 50;

describe('fleet migrator over sqld', () => {
	const directory = sqldDirectory();
	const run = uniqueName('fleet');
	const coreName = `${run}-core`;
	const names = Array.from({ length: FLEET }, (_, i) => `${run}-t${String(i).padStart(2, '0')}`);
	const broken = names[17]!;
	let core: DatabaseLocation;

	beforeAll(async () => {
		core = await directory.ensure(coreName);
		await migrateCore(core);
		const db = openCore(core);
		try {
			const seeds = readCoreSeeds(seedsDir);
			await seedCore(db, seeds);
			const codes = seeds.municipalities.slice(0, FLEET).map((m) => m.code!);
			await db.insert(tenants).values(
				names.map((name, i) => ({
					id: name,
					slug: name,
					municipalityCode: codes[i]!,
					databaseName: name,
					databaseUrl: directory.locate(name).url
				}))
			);
		} finally {
			db.$client.close();
		}
		for (const name of names) await directory.ensure(name);
		// One city's database holds a table in the way of the first migration: it must fail.
		const db17 = openTenant(directory.locate(broken));
		await db17.run(sql`CREATE TABLE plans (legacy TEXT)`);
		db17.$client.close();
	});

	afterAll(async () => {
		for (const name of [...names, coreName]) await directory.destroy(name);
	});

	async function versions() {
		const db = openCore(core);
		try {
			return await db
				.select({ name: tenants.databaseName, version: tenants.schemaVersion, error: tenants.migrationError })
				.from(tenants);
		} finally {
			db.$client.close();
		}
	}

	async function appliedMigrations(name: string): Promise<number> {
		const db = openTenant(directory.locate(name));
		try {
			const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`);
			return Number(rows[0]!.n);
		} finally {
			db.$client.close();
		}
	}

	it(`migrates ${FLEET} databases, finishes the others when one fails, and reports it`, async () => {
		const report = await migrateFleet({ core, locate: (n) => directory.locate(n) });
		const latest = latestVersion(migrationsFolder.tenant);
		expect(report.tenants).toHaveLength(FLEET);
		expect(report.failed.map((f) => f.databaseName)).toEqual([broken]);
		expect(report.failed[0]!.error).toMatch(/plans/);

		const rows = await versions();
		const ok = rows.filter((r) => r.version === latest && r.error === null);
		expect(ok).toHaveLength(FLEET - 1);
		const failed = rows.find((r) => r.name === broken)!;
		expect(failed.version).toBeNull();
		expect(failed.error).toMatch(/plans/);
		// The failed database was left as it was: the migration's batch is atomic.
		const db17 = openTenant(directory.locate(broken));
		const tables = await db17.all<{ name: string }>(
			sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'initiatives'`
		);
		db17.$client.close();
		expect(tables).toHaveLength(0);
	});

	it('resumes the failed database on the next run and leaves the migrated ones alone', async () => {
		const db17 = openTenant(directory.locate(broken));
		await db17.run(sql`DROP TABLE plans`);
		db17.$client.close();

		const report = await migrateFleet({ core, locate: (n) => directory.locate(n) });
		expect(report.failed).toEqual([]);
		const latest = latestVersion(migrationsFolder.tenant);
		const rows = await versions();
		expect(rows.every((r) => r.version === latest && r.error === null)).toBe(true);
		const journal = (await import(`${migrationsFolder.tenant}/meta/_journal.json`, { with: { type: 'json' } }))
			.default as {
			entries: unknown[];
		};
		// Idempotent: each database has every migration recorded exactly once.
		for (const name of [names[0]!, broken, names[FLEET - 1]!])
			expect(await appliedMigrations(name)).toBe(journal.entries.length);
	});

	it('a third run changes nothing', async () => {
		const before = await versions();
		const report = await migrateFleet({ core, locate: (n) => directory.locate(n) });
		expect(report.failed).toEqual([]);
		expect((await versions()).map((r) => [r.name, r.version])).toEqual(before.map((r) => [r.name, r.version]));
		const db = openCore(core);
		const row = await db.select().from(tenants).where(eq(tenants.databaseName, broken));
		db.$client.close();
		expect(row[0]!.migrationError).toBeNull();
	});

	it('takes each database URL from the directory, so a moved server (another port) is followed', async () => {
		const db = openCore(core);
		await db
			.update(tenants)
			.set({ databaseUrl: 'http://localhost:1/dev/stale/' })
			.where(eq(tenants.databaseName, names[3]!));
		db.$client.close();
		await migrateFleet({ core, locate: (n) => directory.locate(n) });
		const again = openCore(core);
		const [row] = await again.select().from(tenants).where(eq(tenants.databaseName, names[3]!));
		again.$client.close();
		expect(row!.databaseUrl).toBe(directory.locate(names[3]!).url);
	});

	it('tries a city again after a transient failure: a database not there yet (404) is migrated once it is', async () => {
		const late = `${run}-late`;
		const db = openCore(core);
		await db.insert(tenants).values({
			id: late,
			slug: late,
			municipalityCode: readCoreSeeds(seedsDir).municipalities[FLEET]!.code!,
			databaseName: late,
			databaseUrl: directory.locate(late).url
		});
		db.$client.close();
		names.push(late);
		const retries: string[] = [];
		let created: Promise<unknown> | undefined;
		const report = await migrateFleet({
			core,
			locate: (n) => directory.locate(n),
			// The namespace is created when the migrator first says it will try again.
			log: (line) => {
				if (!line.startsWith(`${late}: retrying`)) return;
				retries.push(line);
				created ??= directory.ensure(late);
			}
		});
		await created;
		expect(retries.length).toBeGreaterThanOrEqual(1);
		expect(retries[0]).toMatch(/404/);
		expect(report.failed).toEqual([]);
		expect(report.tenants.find((t) => t.slug === late)).toMatchObject({
			ok: true,
			version: latestVersion(migrationsFolder.tenant)
		});
		expect(await appliedMigrations(late)).toBeGreaterThan(0);
	});
});
