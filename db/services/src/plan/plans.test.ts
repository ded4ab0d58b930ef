// A newly subscribed city starts from nothing: its admin creates the plan (title, kind, period in
// 年度 as staff write it, level names, the word for an initiative), adds top-level policy areas,
// and edits the plan later; a stale edit is a conflict, bad input a located message (real sqld).
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant, type TenantDb } from '@mamori/db';
import { migrateTenantDatabase } from '@mamori/db/node';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { seededCore } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import {
	ConflictError,
	createNode,
	createPlan,
	InvalidError,
	listHistory,
	readPlan,
	readPlanOverview,
	updatePlan,
	type TenantContext
} from '../index.ts';

describe('a plan from nothing', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	beforeAll(async () => {
		const location = await sqldDirectory().ensure(uniqueName('newcity'));
		await migrateTenantDatabase(location);
		db = openTenant(location);
		ctx = testContext({ db, core: openCore(await seededCore()) });
	});

	it('an empty city has no plan, and a policy area cannot be added before it', async () => {
		expect(await readPlan({ ctx })).toBeNull();
		await expect(createNode({ ctx, input: { title: '地域の見守り', parentId: null } })).rejects.toMatchObject({
			code: 'not_found'
		});
	});

	it('refuses bad input field by field and writes nothing', async () => {
		const refused = await createPlan({
			ctx,
			input: { title: '', kind: 'plan', periodStart: '令和9', periodEnd: 'R7', levelLabels: '', initiativeLabel: '' }
		}).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(InvalidError);
		expect(Object.keys((refused as InvalidError).issues).sort()).toEqual([
			'initiativeLabel',
			'levelLabels',
			'periodEnd',
			'title'
		]);
		const order = await createPlan({
			ctx,
			input: {
				title: '計画',
				kind: 'plan',
				periodStart: '令和9',
				periodEnd: 'R7',
				levelLabels: '施策',
				initiativeLabel: '取組'
			}
		}).catch((e: unknown) => e);
		expect((order as InvalidError).issues.periodEnd?.key).toBe('validation_plan_period_order');
		expect(await readPlan({ ctx })).toBeNull();
	});

	it('creates the plan with years as staff type them, then its top-level areas', async () => {
		await createPlan({
			ctx,
			input: {
				title: '新市防犯まちづくり計画',
				kind: 'plan',
				periodStart: '令和７',
				periodEnd: 'R11年度',
				levelLabels: '基本目標\n施策',
				initiativeLabel: '主な取組'
			}
		});
		const plan = await readPlan({ ctx });
		expect(plan).toMatchObject({
			title: '新市防犯まちづくり計画',
			periodStart: 2025,
			periodEnd: 2029,
			levelLabels: ['基本目標', '施策'],
			initiativeLabel: '主な取組',
			version: 1
		});
		await expect(
			createPlan({
				ctx,
				input: { title: '二つ目', kind: 'plan', levelLabels: '施策', initiativeLabel: '取組' }
			})
		).rejects.toMatchObject({ code: 'invalid' });
		for (const title of ['安全な地域づくり', '犯罪の起きにくい環境'])
			await createNode({ ctx, input: { title, parentId: null } });
		const overview = await readPlanOverview({ ctx, input: {} });
		expect(overview.nodes.filter((n) => n.parentId === null).map((n) => n.title)).toEqual([
			'安全な地域づくり',
			'犯罪の起きにくい環境'
		]);
	});

	it('edits the plan later; a stale edit is a conflict carrying the plan as saved now', async () => {
		const plan = (await readPlan({ ctx }))!;
		const edit = { id: plan.id, kind: 'plan', levelLabels: '基本目標\n施策', initiativeLabel: '主な取組' };
		await updatePlan({ ctx, input: { ...edit, version: plan.version, title: '新市防犯計画', periodEnd: '令和12' } });
		const stale = await updatePlan({ ctx, input: { ...edit, version: plan.version, title: '古い版から' } }).catch(
			(e: unknown) => e
		);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ title: string; version: number }>).current).toMatchObject({
			title: '新市防犯計画',
			version: plan.version + 1
		});
		expect(await readPlan({ ctx })).toMatchObject({ title: '新市防犯計画', periodEnd: 2030, periodStart: null });
		const history = await listHistory({ ctx, input: { entity: 'plan', entityId: plan.id } });
		expect(history.map((h) => h.action)).toEqual(['update', 'create']);
	});
});
