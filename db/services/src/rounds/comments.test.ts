import { asc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, type CoreDb, type TenantDb } from '@mamori/db';
import { mailOutbox, memberships, users } from '@mamori/db/core';
import {
	comments,
	departments,
	initiativeDepartments,
	initiatives,
	reportingRounds,
	roundTasks
} from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { tenantContext, type TenantContext, type TenantTarget } from '../context.ts';
import type { Principal, TenantRole } from '../auth/policy.ts';
import { OutboxMailer, type Mailer } from '../mail/index.ts';
import { addComment, listComments, mailMentions } from './index.ts';

// Comments on 小金井市's initiatives by real principals through the one authoriser, and the mail
// to the staff of the departments they mention, in the core database's outbox.
describe('comments on an initiative, with mentions (real sqld)', () => {
	let db: TenantDb;
	let core: CoreDb;
	let tenant: TenantTarget & { slug: string };
	const dept: Record<string, string> = {};
	let patrol: string; // CoCoパトロール隊による地域パトロール (地域安全課)
	let school: string; // 学校等における安全対策 (seven departments, 地域安全課 not among them)
	let schoolTask: string;
	const as: Record<string, TenantContext> = {};

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		core = openCore(city.core);
		tenant = { ...city.tenant, status: 'active' };
		for (const d of await db.select().from(departments)) dept[d.name] = d.id;
		const id = async (title: string) =>
			(await db.select({ id: initiatives.id }).from(initiatives).where(eq(initiatives.title, title)))[0]!.id;
		patrol = await id('CoCoパトロール隊による地域パトロール');
		school = await id('学校等における安全対策');
		const roundId = newId();
		schoolTask = newId();
		await db.insert(reportingRounds).values({ id: roundId, fiscalYear: 2024, deadline: '2025-05-31' });
		await db
			.insert(roundTasks)
			.values({ id: schoolTask, roundId, initiativeId: school, departmentId: dept['学務課']! });
		// Who is who: an admin, an editor limited to 地域安全課 (its staff), one limited to 学務課, a viewer.
		const people: [string, TenantRole, string[] | null][] = [
			['admin@koganei.test', 'admin', null],
			['safety@koganei.test', 'editor', [dept['地域安全課']!]],
			['gakumu@koganei.test', 'editor', [dept['学務課']!]],
			['viewer@koganei.test', 'viewer', null]
		];
		for (const [email, role, departmentIds] of people) {
			const userId = newId();
			await core.insert(users).values({ id: userId, email, displayName: email.split('@')[0]! });
			await core.insert(memberships).values({ userId, tenantId: tenant.id, role, departmentIds });
			const principal: Principal = {
				userId,
				email,
				displayName: email,
				isOperator: false,
				prefectures: [],
				memberships: [{ tenantId: tenant.id, tenantSlug: tenant.slug, tenantName: '小金井市', role, departmentIds }]
			};
			as[email.split('@')[0]!] = tenantContext({ db, core, tenant, principal });
		}
	});

	const silent = () => new OutboxMailer(core, () => {});
	const outboxTo = (emails: string[]) =>
		core.select().from(mailOutbox).where(inArray(mailOutbox.to, emails)).orderBy(asc(mailOutbox.to));

	it('an editor limited to 学務課 comments on an initiative of another department, naming 地域安全課; its staff are mailed', async () => {
		const ctx = as.gakumu!;
		const comment = await addComment({
			ctx,
			input: {
				initiativeId: patrol,
				body: '  来年度の台数を教えてください。\r\n二行目  ',
				mentions: [dept['地域安全課']]
			}
		});
		expect(comment).toMatchObject({
			initiativeId: patrol,
			taskId: null,
			kind: 'comment',
			body: '来年度の台数を教えてください。\n二行目',
			mentions: [{ id: dept['地域安全課'], name: '地域安全課' }],
			actorEmail: 'gakumu@koganei.test',
			actorRole: 'editor'
		});
		const url = `https://mamori.test/${tenant.slug}/initiatives/${patrol}`;
		const mailed = await mailMentions({ ctx, mailer: silent(), comment, city: '小金井市', url });
		// 地域安全課's staff is the editor limited to it (the admins answer only for departments nobody is limited to).
		expect(mailed).toEqual({ sent: ['safety@koganei.test'], failed: [] });
		const [mail] = await outboxTo(['safety@koganei.test']);
		expect(mail!.subject).toBe('【小金井市】「CoCoパトロール隊による地域パトロール」にコメントがありました');
		expect(mail!.body).toContain('地域安全課のご担当者様');
		expect(mail!.body).toContain('gakumu@koganei.test');
		expect(mail!.body).toContain('来年度の台数を教えてください。\n二行目');
		expect(mail!.body).toContain(url);

		const listed = await listComments({ ctx: as.viewer!, input: { initiativeId: patrol } });
		expect(listed.map((c) => [c.body, c.mentions.map((d) => d.name), c.actorEmail])).toEqual([
			['来年度の台数を教えてください。\n二行目', ['地域安全課'], 'gakumu@koganei.test']
		]);
	});

	it('a department nobody is limited to is answered for by the admins; the author is not mailed', async () => {
		const comment = await addComment({
			ctx: as.admin!,
			input: { initiativeId: school, body: '確認をお願いします。', mentions: [dept['指導室'], dept['学務課']] }
		});
		const mailed = await mailMentions({ ctx: as.admin!, mailer: silent(), comment, city: '小金井市', url: 'u' });
		// 指導室 → the admins, but the admin wrote it; 学務課 → its editor.
		expect(mailed).toEqual({ sent: ['gakumu@koganei.test'], failed: [] });
		const toGakumu = await outboxTo(['gakumu@koganei.test']);
		expect(toGakumu.at(-1)!.body).toContain('学務課のご担当者様');
	});

	it('a comment on one submission: the task must be of the initiative', async () => {
		const onTask = await addComment({
			ctx: as.safety!,
			input: { initiativeId: school, taskId: schoolTask, body: '提出の数値を確認しました。' }
		});
		expect(onTask.taskId).toBe(schoolTask);
		await expect(
			addComment({ ctx: as.safety!, input: { initiativeId: patrol, taskId: schoolTask, body: '別の取組' } })
		).rejects.toMatchObject({ code: 'invalid', issues: { taskId: { key: 'comment_error_task' } } });
		const ofTask = await listComments({ ctx: as.viewer!, input: { initiativeId: school, taskId: schoolTask } });
		expect(ofTask.map((c) => c.body)).toEqual(['提出の数値を確認しました。']);
		const all = await listComments({ ctx: as.viewer!, input: { initiativeId: school } });
		expect(all.map((c) => c.body)).toEqual(['確認をお願いします。', '提出の数値を確認しました。']);
	});

	it('refuses an empty or too long body, an unknown or deleted department, a missing initiative', async () => {
		const ctx = as.admin!;
		const refused = (input: Record<string, unknown>) => addComment({ ctx, input: { initiativeId: patrol, ...input } });
		await expect(refused({ body: '   ' })).rejects.toMatchObject({
			issues: { body: { key: 'validation_required' } }
		});
		await expect(refused({ body: 'あ'.repeat(2001) })).rejects.toMatchObject({
			issues: { body: { key: 'validation_too_long', params: { max: 2000 } } }
		});
		expect((await refused({ body: 'あ'.repeat(2000) })).body).toHaveLength(2000);
		await expect(refused({ body: 'x', mentions: ['no-such-department'] })).rejects.toMatchObject({
			issues: { mentions: { key: 'error_department_unknown' } }
		});
		const gone = newId();
		await db.insert(departments).values({ id: gone, name: '廃止課', deletedAt: new Date() });
		await expect(refused({ body: 'x', mentions: [gone] })).rejects.toMatchObject({
			issues: { mentions: { key: 'error_department_unknown' } }
		});
		await expect(addComment({ ctx, input: { initiativeId: 'missing', body: 'x' } })).rejects.toMatchObject({
			code: 'not_found'
		});
	});

	it('a viewer may read the comments but not comment', async () => {
		const before = await db.select().from(comments);
		await expect(
			addComment({ ctx: as.viewer!, input: { initiativeId: patrol, body: '閲覧者です' } })
		).rejects.toMatchObject({ code: 'forbidden', action: 'plan.comment' });
		expect(await db.select().from(comments)).toHaveLength(before.length);
		expect((await listComments({ ctx: as.viewer!, input: { initiativeId: patrol } })).length).toBeGreaterThan(0);
	});

	it('a mail that fails loses nothing: the comment is stored and the failure reported', async () => {
		const broken: Mailer = {
			kind: 'broken',
			send: () => Promise.reject(new Error('mail server down'))
		};
		const comment = await addComment({
			ctx: as.admin!,
			input: { initiativeId: patrol, body: 'メールが届かなくても残る', mentions: [dept['地域安全課']] }
		});
		const errors = console.error;
		console.error = () => {};
		try {
			const mailed = await mailMentions({ ctx: as.admin!, mailer: broken, comment, city: '小金井市', url: 'u' });
			expect(mailed).toEqual({ sent: [], failed: ['safety@koganei.test'] });
		} finally {
			console.error = errors;
		}
		const stored = await db.select().from(comments).where(eq(comments.id, comment.id));
		expect(stored[0]).toMatchObject({
			body: 'メールが届かなくても残る',
			actorEmail: 'admin@koganei.test',
			actorRole: 'admin'
		});
	});

	it('the mentioned departments are those of the initiative or any other of the city', async () => {
		// 地域安全課 is not a department of 学校等における安全対策: a mention may name any live department.
		const own = await db
			.select({ id: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.where(eq(initiativeDepartments.initiativeId, school));
		expect(own.map((d) => d.id)).not.toContain(dept['地域安全課']);
		const comment = await addComment({
			ctx: as.gakumu!,
			input: { initiativeId: school, body: '地域安全課にも共有します', mentions: [dept['地域安全課']] }
		});
		expect(comment.mentions.map((d) => d.name)).toEqual(['地域安全課']);
	});
});
