// 20 publications of one year at once (real sqld). Sent from one confirmation (one idempotency
// key, as a retry or a double click sends it): exactly one is published, 19 are clean conflicts.
// From 20 confirmations: each replaces the year's figures whole, so the year holds one
// publication and its facts once, and the city's history one row per publication.
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type CoreDb, type TenantDb } from '@mamori/db';
import { historyJournal } from '@mamori/db/core';
import { benchmarkFacts, benchmarkPublications } from '@mamori/db/core/benchmarks';
import { auditLog } from '@mamori/db/tenant';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { ConflictError } from '../errors.ts';
import type { TenantContext } from '../index.ts';
import { publishFiscalYear, type PublishingTenant } from './publish.ts';

const YEAR = 2023;

describe('20 parallel publications (real sqld)', () => {
	let core: CoreDb;
	let db: TenantDb;
	let tenant: PublishingTenant;
	let ctx: TenantContext;

	beforeAll(async () => {
		const location = await seededCore();
		core = openCore(location);
		({ db, tenant } = await seededCity('tomakomai', { core: location }));
		ctx = testContext({ db, core, tenant, actor: { id: null, name: 'admin@tomakomai.example' } });
	});

	const published = async () => {
		const [publication] = await core
			.select()
			.from(benchmarkPublications)
			.where(and(eq(benchmarkPublications.tenantId, tenant.id), eq(benchmarkPublications.fiscalYear, YEAR)));
		const facts = await core
			.select({ id: benchmarkFacts.id })
			.from(benchmarkFacts)
			.where(and(eq(benchmarkFacts.tenantId, tenant.id), eq(benchmarkFacts.fiscalYear, YEAR)));
		return { factCount: publication?.factCount, facts: facts.length };
	};

	it('from one confirmation: exactly one is published, 19 are conflicts', async () => {
		const key = crypto.randomUUID();
		const outcomes = await Promise.allSettled(
			Array.from({ length: 20 }, () => publishFiscalYear({ ctx, input: { fiscalYear: String(YEAR), key } }))
		);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
		expect(refused).toHaveLength(19);
		for (const reason of refused) expect(reason).toBeInstanceOf(ConflictError);
		const { factCount, facts } = await published();
		expect(factCount).toBeGreaterThan(0);
		expect(facts).toBe(factCount);
		expect(await core.select().from(historyJournal).where(eq(historyJournal.id, key))).toHaveLength(1);
		expect(await db.select().from(auditLog).where(eq(auditLog.id, key))).toHaveLength(1);
		// Sent again later (a retry after an unknown outcome): still not a second time.
		await expect(publishFiscalYear({ ctx, input: { fiscalYear: String(YEAR), key } })).rejects.toBeInstanceOf(
			ConflictError
		);
	});

	it('from 20 confirmations: the facts once, one history row each, every journal row applied', async () => {
		const keys = Array.from({ length: 20 }, () => crypto.randomUUID());
		await Promise.all(keys.map((key) => publishFiscalYear({ ctx, input: { fiscalYear: String(YEAR), key } })));
		const { factCount, facts } = await published();
		expect(facts).toBe(factCount);
		const journal = await core.select().from(historyJournal).where(inArray(historyJournal.id, keys));
		expect(journal.filter((j) => j.appliedAt !== null)).toHaveLength(20);
		expect(await db.select().from(auditLog).where(inArray(auditLog.id, keys))).toHaveLength(20);
	});
});
