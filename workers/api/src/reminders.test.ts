// The scheduled handler inside workerd: the 09:00 JST cron reminds the seed cities' departments
// over HTTP to a real sqld, and the mail lands in the core's outbox (no transport is configured).
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId, openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { mailOutbox, tenants } from '@mamori/db/core';
import { initiatives, reportingRounds, roundReminders, roundTasks } from '@mamori/db/tenant';
import type { Bindings } from './env.ts';
import worker, { crons } from './index.ts';

// A fiscal year far from any other test's, on a day of its own: 09:00 JST on 1 March 2091.
const FISCAL_YEAR = 2090;
const MORNING = Date.parse('2091-03-01T00:00:00Z');

describe('scheduled round reminders in workerd', () => {
	let core: CoreDb;
	let city: TenantDb;
	let slug: string;
	const roundId = newId();
	const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
	const scheduled = async (cron: string) => {
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron, scheduledTime: MORNING }), bindings(), ctx);
		await waitOnExecutionContext(ctx);
	};
	const mails = () => core.select().from(mailOutbox).where(like(mailOutbox.subject, '%令和72年度%'));

	beforeAll(async () => {
		core = openCore({ url: inject('coreUrl') });
		const [tomakomai] = await core.select().from(tenants).where(eq(tenants.municipalityCode, '012131'));
		slug = tomakomai!.slug;
		city = openTenant({ url: tomakomai!.databaseUrl });
		const [initiative] = await city.select({ id: initiatives.id }).from(initiatives).limit(1);
		await city.insert(reportingRounds).values({ id: roundId, fiscalYear: FISCAL_YEAR, deadline: '2091-03-05' });
		// An initiative that names no department: the city's admin answers for it.
		await city.insert(roundTasks).values({ id: newId(), roundId, initiativeId: initiative!.id });
	});

	afterAll(async () => {
		await city.delete(roundReminders).where(eq(roundReminders.roundId, roundId));
		await city.delete(roundTasks).where(eq(roundTasks.roundId, roundId));
		await city.delete(reportingRounds).where(eq(reportingRounds.id, roundId));
		await core.delete(mailOutbox).where(like(mailOutbox.subject, '%令和72年度%'));
		city.$client.close();
		core.$client.close();
	});

	it('the drift cron sends no reminders', async () => {
		await scheduled(crons.drift);
		expect(await city.select().from(roundReminders).where(eq(roundReminders.roundId, roundId))).toEqual([]);
	});

	it('the 09:00 JST cron mails the admin once, with the link to the city’s tasks', async () => {
		await scheduled(crons.reminders);
		const sent = await mails();
		expect(sent.map((m) => [m.to, m.subject])).toEqual([
			['admin@tomakomai.example', '【Mamori】苫小牧市 令和72年度（2090）の取組報告の期限は2091年3月5日です']
		]);
		expect(sent[0]!.body).toContain(`${(env as Bindings).MAMORI_WEB_ORIGIN}/${slug}/tasks`);
		const log = await city.select().from(roundReminders).where(eq(roundReminders.roundId, roundId));
		expect(log).toMatchObject([
			{ kind: 'lead', day: '2091-03-01', departmentId: '', openTasks: 1, recipients: ['admin@tomakomai.example'] }
		]);
		// The cron fires twice (a retry): nothing more.
		await scheduled(crons.reminders);
		expect(await mails()).toHaveLength(1);
	});
});
