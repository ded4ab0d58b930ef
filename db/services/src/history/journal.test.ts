// Publishing spans two databases (real sqld): the facts go to the core, the history row to the
// city. When the city database fails after the core batch, the publication stands, its history
// row waits in the core's journal, and the reconciler writes it (once): the two sides agree.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { historyJournal } from '@mamori/db/core';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import { auditLog } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { publishFiscalYear, withdrawFiscalYear } from '../benchmarks/publish.ts';
import type { TenantContext } from '../context.ts';
import { reconcileHistory } from './journal.ts';

/** The city's database as it is when it fails mid-publish: it reads, but every write is refused. */
function failingWrites(db: TenantDb): TenantDb {
	return new Proxy(db, {
		get(target, key, receiver) {
			if (key === 'insert' || key === 'update' || key === 'delete')
				return () => {
					throw new Error('city database unreachable');
				};
			return Reflect.get(target, key, receiver) as unknown;
		}
	});
}

describe('publishing across the core and a city database', () => {
	let core: CoreDb;
	let db: TenantDb;
	let ctx: (db: TenantDb, now: number) => TenantContext;
	let tenantId: string;
	const history = () => db.select().from(auditLog).where(eq(auditLog.entityId, 'publication:2019'));
	const pending = () => core.select().from(historyJournal).where(eq(historyJournal.tenantId, tenantId));
	const open = (tenant: { databaseUrl: string }) => openTenant({ url: tenant.databaseUrl });

	beforeAll(async () => {
		const city = await seededCity('koganei');
		core = openCore(city.core);
		db = city.db;
		tenantId = city.tenant.id;
		ctx = (tenantDb, now) =>
			testContext({
				db: tenantDb,
				core,
				tenant: city.tenant,
				actor: { id: 'u', name: '担当', email: 'admin@koganei.example', role: 'admin' },
				now: () => now
			});
	});

	it('a city database failing after the core batch: published, the history row pending, then reconciled once', async () => {
		const t0 = Date.UTC(2026, 11, 2, 3, 0);
		const figures = await publishFiscalYear({ ctx: ctx(failingWrites(db), t0), input: { fiscalYear: 2019 } });
		expect(figures.fiscalYear).toBe(2019);
		// The core has it (officials see it); the city's history does not yet; the journal holds it.
		const [publication] = await core
			.select()
			.from(benchmarkPublications)
			.where(eq(benchmarkPublications.tenantId, tenantId));
		expect(publication).toMatchObject({ fiscalYear: 2019, publishedByName: 'admin@koganei.example' });
		expect(await history()).toEqual([]);
		const [journalled] = await pending();
		expect(journalled).toMatchObject({ appliedAt: null });

		// Within its minute the change may still be completing: the reconciler leaves it.
		expect(await reconcileHistory({ core, open, now: t0 + 30_000 })).toEqual({ applied: 0, errors: [] });
		expect(await reconcileHistory({ core, open, now: t0 + 120_000 })).toEqual({ applied: 1, errors: [] });
		const rows = await history();
		expect(rows).toMatchObject([
			{ id: journalled!.id, action: 'publish', actorEmail: 'admin@koganei.example', actorRole: 'admin' }
		]);
		expect(rows[0]!.at.getTime()).toBe(t0);
		expect((await pending())[0]!.appliedAt).not.toBeNull();
		// Run again: nothing more.
		expect(await reconcileHistory({ core, open, now: t0 + 240_000 })).toEqual({ applied: 0, errors: [] });
		expect(await history()).toHaveLength(1);
	});

	it('with both databases up, the history row is written at once and the journal marked applied', async () => {
		const t1 = Date.UTC(2026, 11, 2, 4, 0);
		await withdrawFiscalYear({ ctx: ctx(db, t1), input: { fiscalYear: 2019 } });
		const rows = await history();
		expect(rows.map((r) => r.action)).toEqual(['publish', 'withdraw']);
		expect((await pending()).every((j) => j.appliedAt !== null)).toBe(true);
	});
});
