import { beforeAll, describe, expect, it } from 'vitest';
import { seededCity } from '../../test/seeded.ts';
import type { TenantDb } from '@mamori/db';
import { openCore } from '@mamori/db';
import { initiativeForm, recordForm } from '../domain/forms.ts';
import { issuesOf } from '../errors.ts';
import { testContext } from '../../test/context.ts';
import { savedForm } from '../../test/initiative-form.ts';
import { worded } from '../../test/words.ts';
import {
	addYearlyRecord,
	ConflictError,
	deleteInitiative,
	isVersionConflict,
	listHistory,
	readInitiative,
	readPlanOverview,
	restoreInitiative,
	updateInitiative,
	InvalidError,
	type TenantContext
} from '../index.ts';
import { tenantContext } from '../context.ts';
import type { Principal } from '../auth/policy.ts';

describe('plan workspace services (real sqld, 小金井市 seed)', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let initiativeId: string;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		ctx = testContext({ db, core: openCore(city.core), actor: { id: 'user-1', name: '地域安全課 山田' } });
		const overview = await readPlanOverview({ ctx, input: { q: 'CoCoパトロール隊' } });
		initiativeId = overview.initiatives[0]!.id;
	});

	it('the overview filters by search, department, category and year, with each year status', async () => {
		const all = await readPlanOverview({ ctx, input: {} });
		expect(all.total).toBe(25);
		expect(all.years).toEqual([2018, 2019]);
		expect(all.fiscalYear).toBe(2019);
		const byCategory = await readPlanOverview({ ctx, input: { category: 'environment' } });
		expect(byCategory.initiatives.map((i) => i.title)).toContain('街路灯の整備');
		const shidou = all.departments.find((d) => d.name === '指導室')!;
		const byDepartment = await readPlanOverview({ ctx, input: { departmentId: shidou.id } });
		expect(byDepartment.initiatives.every((i) => i.departments.some((d) => d.id === shidou.id))).toBe(true);
		const vacant = all.initiatives.find((i) => i.title === '空き家の適正な管理の推進')!;
		expect(vacant.status).toBe('none'); // its 令和元年度 cell is empty in the document
		expect(all.initiatives.find((i) => i.id === initiativeId)!.status).toBe('actual');
	});

	it('saves an edit with its history, then refuses a save based on the old version', async () => {
		const detail = await readInitiative({ ctx, input: { id: initiativeId } });
		const base = {
			id: initiativeId,
			version: detail.initiative.version,
			title: detail.initiative.title,
			description: '青色回転灯を装備した庁用車で巡回します。',
			departmentIds: detail.departments.map((d) => d.id),
			categoryCodes: detail.categoryCodes
		};
		const saved = await updateInitiative({ ctx, input: base });
		expect(saved.version).toBe(base.version + 1);

		// A second editor saved from the same page: refused, with what is there now.
		const stale = await updateInitiative({ ctx, input: { ...base, title: '別の人の変更' } }).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ description: string }>).current.description).toBe(
			'青色回転灯を装備した庁用車で巡回します。'
		);
		const after = await readInitiative({ ctx, input: { id: initiativeId } });
		expect(after.initiative.title).toBe(detail.initiative.title); // nothing of the stale save was written

		const history = await listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } });
		expect(history[0]).toMatchObject({ action: 'update', actorName: '地域安全課 山田' });
		expect((history[0]!.before as { description: string }).description).toBe(detail.initiative.description);
		expect((history[0]!.after as { description: string }).description).toBe('青色回転灯を装備した庁用車で巡回します。');
	});

	it('saving an initiative with its boxes in the form’s order keeps its own order of categories and departments', async () => {
		const overview = await readPlanOverview({ ctx, input: {} });
		const many = overview.initiatives.find((i) => i.departments.length > 1 && i.categoryCodes.length > 1)!;
		const detail = await readInitiative({ ctx, input: { id: many.id } });
		const departments = detail.departments.map((d) => d.id);
		const extra = overview.departments.find((d) => !departments.includes(d.id))!.id;
		await updateInitiative({
			ctx,
			input: {
				...savedForm(detail),
				// As a form posts them: reversed, with one department added at the front.
				departmentIds: [extra, ...[...departments].reverse()],
				categoryCodes: [...detail.categoryCodes].reverse()
			}
		});
		const after = await readInitiative({ ctx, input: { id: many.id } });
		expect(after.categoryCodes).toEqual(detail.categoryCodes);
		expect(after.departments.map((d) => d.id)).toEqual([...departments, extra]);
	});

	it('the database itself refuses a stale update that slips past the check (race)', async () => {
		const { version } = (await readInitiative({ ctx, input: { id: initiativeId } })).initiative;
		const { initiatives } = await import('@mamori/db/tenant');
		const { eq } = await import('drizzle-orm');
		await db
			.update(initiatives)
			.set({ version: version + 1 })
			.where(eq(initiatives.id, initiativeId));
		const error = await db
			.update(initiatives)
			.set({ title: 'x', version: version + 1 })
			.where(eq(initiatives.id, initiativeId))
			.catch((e: unknown) => e);
		expect(isVersionConflict(error)).toBe(true);
	});

	it('the history names who acted by account and role at the time, not by the name they chose', async () => {
		const principal: Principal = {
			userId: 'user-9',
			email: 'sato@city.koganei.example',
			displayName: '小金井市 管理者', // chosen before names posing as a role were refused
			isOperator: false,
			memberships: [
				{ tenantId: 'test-city', tenantSlug: 'koganei', tenantName: '小金井市', role: 'editor', departmentIds: null }
			],
			prefectures: []
		};
		const acting = tenantContext({
			db,
			core: ctx.core,
			tenant: { id: 'test-city', municipalityCode: '132101', prefectureCode: '13', status: 'active' },
			principal
		});
		const { version } = (await readInitiative({ ctx, input: { id: initiativeId } })).initiative;
		await deleteInitiative({ ctx: acting, input: { id: initiativeId, version } });
		await restoreInitiative({ ctx: acting, input: { id: initiativeId } });
		const [restored, deleted] = await listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } });
		for (const entry of [restored, deleted])
			expect(entry).toMatchObject({ actorEmail: 'sato@city.koganei.example', actorRole: 'editor' });
	});

	it('deletes into history and restores', async () => {
		const { version } = (await readInitiative({ ctx, input: { id: initiativeId } })).initiative;
		await deleteInitiative({ ctx, input: { id: initiativeId, version } });
		expect((await readPlanOverview({ ctx, input: {} })).total).toBe(24);
		const [entry] = await listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } });
		expect(entry!.action).toBe('delete');
		await restoreInitiative({ ctx, input: { id: initiativeId } });
		expect((await readPlanOverview({ ctx, input: {} })).total).toBe(25);
	});

	it('adds a fiscal year record with a metric', async () => {
		await addYearlyRecord({
			ctx,
			input: {
				initiativeId,
				fiscalYear: '2024',
				phase: 'actual',
				text: '・パトロール回数 520回',
				metrics: [
					{ label: 'パトロール回数', value: '５２０', unit: '回', indicatorCode: 'patrol_runs', stockFlow: 'flow' }
				]
			}
		});
		const detail = await readInitiative({ ctx, input: { id: initiativeId } });
		const record = detail.records.find((r) => r.fiscalYear === 2024)!;
		expect(record.metrics).toEqual([
			expect.objectContaining({ label: 'パトロール回数', value: 520, unit: '回', indicatorCode: 'patrol_runs' })
		]);
	});

	it('refuses bad input with Japanese messages per field, writing nothing', async () => {
		const bad = initiativeForm.safeParse({
			version: '1',
			title: '   ',
			description: 'あ'.repeat(20_001),
			categoryCodes: []
		});
		expect(bad.success).toBe(false);
		expect(worded(issuesOf(bad.error!))).toEqual({
			title: '取組名を入力してください。',
			description: '取組の内容は20,000文字以内で入力してください。',
			categoryCodes: '分類を1つ以上選んでください。'
		});
		const metric = recordForm.safeParse({
			fiscalYear: '2024',
			phase: 'actual',
			text: 'x',
			metrics: [{ label: '回数', value: '多数', unit: '回' }]
		});
		expect(worded(issuesOf(metric.error!))).toEqual({ 'metrics.0.value': '数値は数値で入力してください。' });

		const before = await readInitiative({ ctx, input: { id: initiativeId } });
		const error = await updateInitiative({
			ctx,
			input: {
				id: initiativeId,
				version: before.initiative.version,
				title: 'x',
				departmentIds: [],
				categoryCodes: ['no_such']
			}
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidError);
		expect(worded((error as InvalidError).issues)).toEqual({ categoryCodes: '存在しない分類が指定されています。' });
		expect((await readInitiative({ ctx, input: { id: initiativeId } })).initiative.version).toBe(
			before.initiative.version
		);
	});

	it('asks the authoriser first, with the departments of the item', async () => {
		const seen: unknown[] = [];
		const denying: TenantContext = {
			...ctx,
			authorize: (action, scope) => {
				seen.push([action, scope]);
				if (action === 'plan.edit') throw new Error('forbidden');
			}
		};
		const { version } = (await readInitiative({ ctx, input: { id: initiativeId } })).initiative;
		await expect(deleteInitiative({ ctx: denying, input: { id: initiativeId, version } })).rejects.toThrow('forbidden');
		expect(seen).toEqual([['plan.edit', { departmentIds: [expect.any(String)] }]]);
		expect((await readPlanOverview({ ctx, input: {} })).total).toBe(25);
	});
});
