// The scheduled handler inside workerd: the ten-minute cron writes a city's history row that was
// journalled in the core database but never reached the city (its database failed after the core
// batch), over HTTP to a real sqld, once.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId, openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { historyJournal, tenants } from '@mamori/db/core';
import { auditLog } from '@mamori/db/tenant';
import worker, { crons } from './index.ts';

const AT = Date.parse('2091-04-01T00:00:00Z');

describe('the scheduled history reconciler in workerd', () => {
	let core: CoreDb;
	let city: TenantDb;
	const id = newId();
	const scheduled = async () => {
		const ctx = createExecutionContext();
		await worker.scheduled(
			createScheduledController({ cron: crons.reconciler, scheduledTime: AT + 600_000 }),
			{ ...env, CORE_DATABASE_URL: inject('coreUrl') },
			ctx
		);
		await waitOnExecutionContext(ctx);
	};

	beforeAll(async () => {
		core = openCore({ url: inject('coreUrl') });
		const [tomakomai] = await core.select().from(tenants).where(eq(tenants.municipalityCode, '012131'));
		city = openTenant({ url: tomakomai!.databaseUrl });
		// What publishing leaves when the city's database fails after the core batch.
		await core.insert(historyJournal).values({
			id,
			tenantId: tomakomai!.id,
			entry: {
				id,
				at: AT,
				actorId: null,
				actorName: 'admin@tomakomai.example',
				actorEmail: 'admin@tomakomai.example',
				actorRole: 'admin',
				entity: 'plan',
				entityId: 'publication:2090',
				action: 'publish',
				before: null,
				after: { fiscalYear: 2090 }
			},
			createdAt: new Date(AT)
		});
	});

	afterAll(async () => {
		await city.delete(auditLog).where(eq(auditLog.id, id));
		await core.delete(historyJournal).where(eq(historyJournal.id, id));
		city.$client.close();
		core.$client.close();
	});

	it('writes the pending row into the city’s history and marks it applied; a second run adds nothing', async () => {
		await scheduled();
		const rows = await city.select().from(auditLog).where(eq(auditLog.id, id));
		expect(rows).toMatchObject([
			{ action: 'publish', entityId: 'publication:2090', actorEmail: 'admin@tomakomai.example' }
		]);
		expect(rows[0]!.at.getTime()).toBe(AT);
		const [journal] = await core.select().from(historyJournal).where(eq(historyJournal.id, id));
		expect(journal!.appliedAt?.getTime()).toBe(AT + 600_000);
		await scheduled();
		expect(await city.select().from(auditLog).where(eq(auditLog.id, id))).toHaveLength(1);
	});
});
