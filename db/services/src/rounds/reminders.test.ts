// Round reminders against a real sqld, day by day: the clock is the test's, the mail goes to the
// local outbox, and both the outbox and the round's reminder log are read back.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { mailOutbox, memberships, tenants, users } from '@mamori/db/core';
import { departments, initiatives, reportingRounds, roundReminders, roundTasks } from '@mamori/db/tenant';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { tenantContext } from '../context.ts';
import { AccessDeniedError } from '../errors.ts';
import { OutboxMailer, type Mailer } from '../mail/index.ts';
import { listRoundReminders, reminderKind, sendRoundReminders } from './reminders.ts';
import { japanDay } from './rounds.ts';

const ORIGIN = 'https://mamori.example';
/** An instant given in Japan time. */
const jst = (local: string) => Date.parse(`${local}+09:00`);

describe('the day in Japan and the kind of reminder', () => {
	it('is the Japanese date, whatever the machine’s zone', () => {
		expect(japanDay(Date.parse('2026-05-07T14:59:59Z'))).toBe('2026-05-07');
		expect(japanDay(Date.parse('2026-05-07T15:00:00Z'))).toBe('2026-05-08');
	});

	it('lead from deadline − lead days to the deadline, overdue after it, nothing before', () => {
		const round = { deadline: '2026-05-15', reminderLeadDays: 7 };
		expect(reminderKind(round, '2026-05-07')).toBeNull();
		expect(reminderKind(round, '2026-05-08')).toBe('lead');
		expect(reminderKind(round, '2026-05-15')).toBe('lead');
		expect(reminderKind(round, '2026-05-16')).toBe('overdue');
		// Across a month end.
		expect(reminderKind({ deadline: '2026-03-02', reminderLeadDays: 3 }, '2026-02-27')).toBe('lead');
		expect(reminderKind({ deadline: '2026-03-02', reminderLeadDays: 3 }, '2026-02-26')).toBeNull();
	});
});

describe('round reminders over the fleet (real sqld)', () => {
	let core: CoreDb;
	let db: TenantDb;
	let tenant: { id: string; slug: string; municipalityCode: string; prefectureCode: string };
	let slug: string;
	let roundId: string;
	let closedCityDb: TenantDb;
	const dept: Record<'safety' | 'roads' | 'done', { id: string; name: string }> = {} as never;
	const taskIds: Record<string, string[]> = {};
	const logs: string[] = [];
	const outbox = new (class {
		/** The mails written since the last call. */
		async take() {
			const rows = await core.select().from(mailOutbox).orderBy(asc(mailOutbox.to));
			if (rows.length)
				await core.delete(mailOutbox).where(
					inArray(
						mailOutbox.id,
						rows.map((r) => r.id)
					)
				);
			return rows;
		}
	})();
	const run = async (now: number, mailer?: Mailer) => {
		const report = await sendRoundReminders({
			core,
			open: (t) => openTenant({ url: t.databaseUrl }),
			mailer: mailer ?? new OutboxMailer(core, () => {}),
			origin: `${ORIGIN}/`,
			now,
			log: (line) => logs.push(line)
		});
		// Every run reads both reachable cities to the end (a claim already made is no error).
		expect(report.errors.map((e) => e.slug)).toEqual(['unreachable']);
		return report;
	};
	const log = async () =>
		(
			await db
				.select()
				.from(roundReminders)
				.where(eq(roundReminders.roundId, roundId))
				.orderBy(asc(roundReminders.day), asc(roundReminders.departmentId))
		).map((r) => ({ day: r.day, kind: r.kind, department: r.departmentId, open: r.openTasks, to: r.recipients }));

	beforeAll(async () => {
		const location = await seededCore();
		core = openCore(location);
		const city = await seededCity('meguro', { core: location });
		db = city.db;
		tenant = city.tenant;
		slug = city.tenant.slug;
		// A second city whose round is closed: it is read, and reminds nobody.
		const closedCity = await seededCity('koganei', { core: location });
		closedCityDb = closedCity.db;
		await closedCityDb.insert(reportingRounds).values({
			id: newId(),
			fiscalYear: 2025,
			deadline: '2026-05-15',
			state: 'closed'
		});
		// A third city whose database cannot be reached: the others are reminded all the same.
		await core.insert(tenants).values({
			id: newId(),
			slug: 'unreachable',
			municipalityCode: '012131',
			databaseName: 'unreachable',
			databaseUrl: 'http://127.0.0.1:1/nowhere/'
		});
		// A suspended city is not read at all (were it read, its unreachable database would be an error).
		await core.insert(tenants).values({
			id: newId(),
			slug: 'suspended',
			municipalityCode: '011002',
			status: 'suspended',
			databaseName: 'suspended',
			databaseUrl: 'http://127.0.0.1:1/suspended/'
		});

		// 目黒区's plan names no departments: the city adds its own.
		for (const [key, name, position] of [
			['safety', '生活安全課', 1],
			['roads', '道路管理課', 2],
			['done', '地域振興課', 3]
		] as const) {
			dept[key] = { id: newId(), name };
			await db.insert(departments).values({ ...dept[key], position });
		}
		// The admin answers for tasks of no department; each editor for their own department.
		const people = [
			{ email: 'admin@meguro.test', role: 'admin' as const, departmentIds: null },
			{ email: 'safety@meguro.test', role: 'editor' as const, departmentIds: [dept.safety.id] },
			{ email: 'roads@meguro.test', role: 'editor' as const, departmentIds: [dept.roads.id] },
			{ email: 'done@meguro.test', role: 'editor' as const, departmentIds: [dept.done.id] },
			{ email: 'viewer@meguro.test', role: 'viewer' as const, departmentIds: null }
		];
		for (const p of people) {
			const userId = newId();
			await core.insert(users).values({ id: userId, email: p.email, displayName: p.email.split('@')[0]! });
			await core
				.insert(memberships)
				.values({ userId, tenantId: tenant.id, role: p.role, departmentIds: p.departmentIds });
		}

		roundId = newId();
		await db.insert(reportingRounds).values({ id: roundId, fiscalYear: 2025, deadline: '2026-05-15' });
		const plan = await db.select({ id: initiatives.id }).from(initiatives).limit(8);
		expect(plan.length).toBe(8);
		const tasks: [keyof typeof dept | 'none', (typeof roundTasks.$inferInsert)['state']][] = [
			['safety', 'open'],
			['safety', 'draft'],
			['safety', 'submitted'],
			['roads', 'returned'],
			['roads', 'approved'],
			['done', 'submitted'],
			['done', 'approved'],
			['none', 'open']
		];
		for (const [i, [key, state]] of tasks.entries()) {
			const id = newId();
			(taskIds[key] ??= []).push(id);
			await db.insert(roundTasks).values({
				id,
				roundId,
				initiativeId: plan[i]!.id,
				departmentId: key === 'none' ? null : dept[key].id,
				state
			});
		}
		await outbox.take();
	});

	it('reminds each department with tasks to do, once a day, from the lead time until all is submitted', async () => {
		// 23:30 on 7 May in Japan (14:30 UTC): the day before the lead time. Nothing.
		let report = await run(jst('2026-05-07T23:30:00'));
		expect(report).toMatchObject({ cities: 2, reminders: 0, mails: 0, failures: 0 });
		expect(report.errors).toEqual([{ slug: 'unreachable', error: expect.any(String) }]);
		expect(logs).toContain(`round reminders: unreachable: failed: ${report.errors[0]!.error}`);
		expect(await outbox.take()).toEqual([]);
		expect(await log()).toEqual([]);

		// 00:30 on 8 May in Japan is still 7 May in UTC: the lead time has come.
		report = await run(jst('2026-05-08T00:30:00'));
		expect(report).toMatchObject({ cities: 2, reminders: 3, mails: 3, failures: 0 });
		const first = await outbox.take();
		expect(first.map((m) => m.to)).toEqual(['admin@meguro.test', 'roads@meguro.test', 'safety@meguro.test']);
		const toSafety = first.find((m) => m.to === 'safety@meguro.test')!;
		expect(toSafety.subject).toBe('【Mamori】目黒区 令和7年度（2025）の取組報告の期限は2026年5月15日です');
		expect(toSafety.body).toContain(`${dept.safety.name} ご担当者様`);
		expect(toSafety.body).toContain('まだ提出されていない取組が2件あります');
		expect(toSafety.body).toContain(`${ORIGIN}/${slug}/tasks`);
		expect(first.find((m) => m.to === 'roads@meguro.test')!.body).toContain('取組が1件あります');
		expect(first.find((m) => m.to === 'admin@meguro.test')!.body).toContain('担当課の指定がない取組 ご担当者様');
		expect(await log()).toEqual([
			{ day: '2026-05-08', kind: 'lead', department: '', open: 1, to: ['admin@meguro.test'] },
			...[
				{ day: '2026-05-08', kind: 'lead', department: dept.safety.id, open: 2, to: ['safety@meguro.test'] },
				{ day: '2026-05-08', kind: 'lead', department: dept.roads.id, open: 1, to: ['roads@meguro.test'] }
			].sort((a, b) => (a.department < b.department ? -1 : 1))
		]);
		expect(logs).toContain(`round reminders: ${slug}: 3 departments, 3 mails, 0 failed`);

		// The same day again (a retried cron): the claims hold, nothing more is sent.
		report = await run(jst('2026-05-08T18:00:00'));
		expect(report).toMatchObject({ reminders: 0, mails: 0 });
		expect(await outbox.take()).toEqual([]);
		expect((await log()).length).toBe(3);

		// The next day: once more each.
		await run(jst('2026-05-09T09:00:00'));
		expect((await outbox.take()).map((m) => m.to)).toEqual([
			'admin@meguro.test',
			'roads@meguro.test',
			'safety@meguro.test'
		]);

		// 生活安全課 submits everything: it is reminded no more.
		await db
			.update(roundTasks)
			.set({ state: 'submitted', version: sql`${roundTasks.version} + 1` })
			.where(inArray(roundTasks.id, taskIds.safety!));
		await run(jst('2026-05-10T09:00:00'));
		expect((await outbox.take()).map((m) => m.to)).toEqual(['admin@meguro.test', 'roads@meguro.test']);

		// The deadline's own day is still a lead reminder; the day after, overdue, once a day.
		await run(jst('2026-05-15T09:00:00'));
		expect((await outbox.take()).map((m) => m.subject)).toEqual([
			'【Mamori】目黒区 令和7年度（2025）の取組報告の期限は2026年5月15日です',
			'【Mamori】目黒区 令和7年度（2025）の取組報告の期限は2026年5月15日です'
		]);
		await run(jst('2026-05-16T09:00:00'));
		await run(jst('2026-05-16T21:00:00'));
		const overdue = await outbox.take();
		expect(overdue.map((m) => [m.to, m.subject])).toEqual([
			['admin@meguro.test', '【Mamori】目黒区 令和7年度（2025）の取組報告の期限（2026年5月15日）を過ぎています'],
			['roads@meguro.test', '【Mamori】目黒区 令和7年度（2025）の取組報告の期限（2026年5月15日）を過ぎています']
		]);
		expect(overdue[0]!.body).toContain('期限（2026年5月15日）を過ぎましたが、まだ提出されていない取組が1件あります');
		await run(jst('2026-05-17T09:00:00'));
		expect((await outbox.take()).length).toBe(2);
		const days = (await log()).map((r) => `${r.day} ${r.kind}`);
		expect(days.filter((d) => d === '2026-05-16 overdue').length).toBe(2);
		expect(days.filter((d) => d === '2026-05-17 overdue').length).toBe(2);
		expect((await log()).length).toBe(3 + 3 + 2 + 2 + 2 + 2);

		// Closed: nothing, however late.
		await db
			.update(reportingRounds)
			.set({ state: 'closed', version: sql`${reportingRounds.version} + 1` })
			.where(eq(reportingRounds.id, roundId));
		report = await run(jst('2026-05-18T09:00:00'));
		expect(report).toMatchObject({ cities: 2, reminders: 0, mails: 0 });
		expect(await outbox.take()).toEqual([]);
		// 小金井市 (a closed round all along) was never reminded.
		expect(await closedCityDb.select().from(roundReminders)).toEqual([]);
	});

	it('a mail that fails is recorded on its reminder, which is not sent twice that day', async () => {
		const second = newId();
		await db.insert(reportingRounds).values({ id: second, fiscalYear: 2026, deadline: '2027-05-15' });
		const [initiative] = await db.select({ id: initiatives.id }).from(initiatives).limit(1);
		await db
			.insert(roundTasks)
			.values({ id: newId(), roundId: second, initiativeId: initiative!.id, departmentId: dept.roads.id });
		const refusing: Mailer = {
			kind: 'refusing',
			send: async () => {
				throw new Error('550 mailbox unavailable');
			}
		};
		const report = await run(jst('2027-05-10T09:00:00'), refusing);
		expect(report).toMatchObject({ reminders: 1, mails: 0, failures: 1 });
		const [row] = await db.select().from(roundReminders).where(eq(roundReminders.roundId, second));
		expect(row).toMatchObject({ kind: 'lead', recipients: [], error: 'roads@meguro.test: 550 mailbox unavailable' });
		expect(await run(jst('2027-05-10T12:00:00'))).toMatchObject({ reminders: 0, mails: 0 });
		expect(await outbox.take()).toEqual([]);
	});

	it('the log, newest first, for the city admin only', async () => {
		const ctx = testContext({ db, core });
		const rows = await listRoundReminders({ ctx, input: { id: roundId } });
		expect(rows.length).toBe(14);
		expect(rows[0]).toMatchObject({ day: '2026-05-17', kind: 'overdue' });
		expect(rows.at(-1)).toMatchObject({ day: '2026-05-08', kind: 'lead' });
		expect(rows.find((r) => r.departmentId === dept.roads.id)?.departmentName).toBe(dept.roads.name);
		expect(rows.find((r) => r.departmentId === '')?.departmentName).toBeNull();

		const as = (role: 'admin' | 'editor') =>
			tenantContext({
				db,
				core,
				tenant: { id: tenant.id, municipalityCode: tenant.municipalityCode, prefectureCode: '13', status: 'active' },
				principal: {
					userId: 'u',
					email: `${role}@meguro.test`,
					displayName: role,
					isOperator: false,
					prefectures: [],
					memberships: [{ tenantId: tenant.id, tenantSlug: slug, tenantName: '目黒区', role, departmentIds: null }]
				}
			});
		expect((await listRoundReminders({ ctx: as('admin'), input: { id: roundId } })).length).toBe(14);
		await expect(listRoundReminders({ ctx: as('editor'), input: { id: roundId } })).rejects.toBeInstanceOf(
			AccessDeniedError
		);
	});
});
