import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, type CoreDb, type TenantDb } from '@mamori/db';
import { tenants } from '@mamori/db/core';
import { auditLog, departments, indicators, indicatorValues, initiatives, yearlyRecords } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { tenantContext, type TenantTarget } from '../context.ts';
import { publishFiscalYear } from '../benchmarks/publish.ts';
import { listHistory } from '../plan/audit.ts';
import type { Principal } from '../auth/policy.ts';
import { kpiStanding, readPublishedPlan, setResidentPage, type PublishedPlan } from './index.ts';

describe('where a KPI stands', () => {
	const kpi = { baselineValue: 100, targetValue: 200, baselineYear: 2020, targetYear: 2030 };
	it('met at its target, on track on the straight line from baseline to target, behind below it', () => {
		expect(kpiStanding(kpi, { value: 210, periodYear: 2024 }).standing).toBe('met');
		expect(kpiStanding(kpi, { value: 150, periodYear: 2025 })).toEqual({ progress: 0.5, standing: 'on_track' });
		expect(kpiStanding(kpi, { value: 130, periodYear: 2025 }).standing).toBe('behind');
		// Lower is better: the share of the way follows the direction of baseline → target.
		const fewer = { ...kpi, baselineValue: 400, targetValue: 200 };
		expect(kpiStanding(fewer, { value: 300, periodYear: 2024 }).standing).toBe('on_track');
	});
	it('unmeasured without a value after the baseline’s year, or without a baseline or target', () => {
		expect(kpiStanding(kpi, null).standing).toBe('unmeasured');
		expect(kpiStanding(kpi, { value: 100, periodYear: 2020 }).standing).toBe('unmeasured');
		expect(kpiStanding({ ...kpi, targetValue: null }, { value: 150, periodYear: 2025 }).standing).toBe('unmeasured');
		// Without the years: better than the baseline is on track.
		const undated = { ...kpi, baselineYear: null, targetYear: null };
		expect(kpiStanding(undated, { value: 120, periodYear: 2025 }).standing).toBe('on_track');
		expect(kpiStanding(undated, { value: 90, periodYear: 2025 }).standing).toBe('behind');
	});
});

describe('what 小金井市 shows its residents (real sqld)', () => {
	let db: TenantDb;
	let core: CoreDb;
	let tenant: TenantTarget;
	const read = (input: Record<string, unknown> = {}) =>
		readPublishedPlan({ ctx: testContext({ db, core, tenant }), input });
	const byTitle = (p: PublishedPlan, title: string) => {
		const item = p.initiatives.find((i) => i.title === title);
		if (!item) throw new Error(`no initiative ${title}`);
		return item;
	};
	const PATROL = 'CoCoパトロール隊による地域パトロール';

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		core = openCore(city.core);
		tenant = { ...city.tenant, status: 'active' };
	});

	it('before anything is published: the plan, its areas and initiatives, and no record of any year', async () => {
		const p = await read();
		expect(p.plan?.title).toBe('小金井市防犯指針に基づく令和元年度の取組み等について');
		expect(p.publishedYears).toEqual([]);
		expect(p.fiscalYear).toBeNull();
		expect(p.nodes[0]).toMatchObject({
			code: '1',
			title: '日常生活における安全安心の確保',
			depth: 0,
			level: '主要な施策'
		});
		expect(p.nodes[1]).toMatchObject({ code: '(1)', title: '地域防犯力の向上', depth: 1, level: '施策' });
		const patrol = byTitle(p, PATROL);
		expect(patrol.departments).toEqual(['地域安全課']);
		expect(patrol.records).toEqual([]);
		expect(p.whole.initiatives).toBe(p.initiatives.length);
		expect(p.whole.recorded).toBe(0);
		expect(p.whole.rate).toBeNull();
	});

	it('after publishing 令和元年度: that year’s records of what was done, never a plan, nor another year', async () => {
		await publishFiscalYear({ ctx: testContext({ db, core, tenant }), input: { fiscalYear: 2019 } });
		const [patrolRow] = await db.select().from(initiatives).where(eq(initiatives.title, PATROL));
		const [safety] = await db.select().from(departments).where(eq(departments.name, '地域安全課'));
		// A plan for the year (予定) is not something done.
		await db.insert(yearlyRecords).values({
			id: newId(),
			initiativeId: patrolRow!.id,
			fiscalYear: 2019,
			phase: 'plan',
			departmentId: safety!.id,
			text: '予定：住民には見せない',
			position: 99
		});
		const p = await read();
		expect(p.publishedYears).toEqual([2019]);
		expect(p.fiscalYear).toBe(2019);
		const patrol = byTitle(p, PATROL);
		expect(patrol.records.map((r) => [r.fiscalYear, r.phase, r.department])).toEqual([[2019, 'actual', '地域安全課']]);
		expect(JSON.stringify(p)).not.toContain('住民には見せない');
		// 平成30年度 is not published: none of its records are shown.
		expect(p.initiatives.flatMap((i) => i.records).every((r) => r.fiscalYear === 2019)).toBe(true);
		expect(p.whole.recorded).toBeGreaterThan(0);
		expect(p.whole.latestYear).toBe(2019);
		// Asking for a year that is not published shows the latest published one.
		expect((await read({ fiscalYear: '2018' })).fiscalYear).toBe(2019);
		expect((await read({ fiscalYear: 'nonsense' })).fiscalYear).toBe(2019);
	});

	it('a reported progress counts in the area’s 実施率; KPI values only of published years, never planned', async () => {
		const [patrolRow] = await db.select().from(initiatives).where(eq(initiatives.title, PATROL));
		await db
			.update(yearlyRecords)
			.set({ progress: 'done', version: sql`${yearlyRecords.version} + 1` })
			.where(
				and(
					eq(yearlyRecords.initiativeId, patrolRow!.id),
					eq(yearlyRecords.fiscalYear, 2019),
					eq(yearlyRecords.phase, 'actual')
				)
			);
		const kpiId = newId();
		await db.insert(indicators).values({
			id: kpiId,
			nodeId: patrolRow!.nodeId,
			name: 'パトロール回数（テスト）',
			unit: '回',
			direction: 'higher',
			baselineValue: 400,
			baselineYear: 2017,
			baselinePeriodKind: 'fiscal_year',
			targetValue: 600,
			targetYear: 2021,
			targetPeriodKind: 'fiscal_year',
			position: 99
		});
		const value = (periodYear: number, v: number, status: 'final' | 'planned') => ({
			id: newId(),
			indicatorId: kpiId,
			periodKind: 'fiscal_year' as const,
			periodYear,
			value: v,
			status
		});
		await db
			.insert(indicatorValues)
			.values([value(2018, 450, 'final'), value(2019, 520, 'final'), value(2020, 700, 'planned')]);
		const p = await read();
		const area = p.nodes.find((n) => n.id === patrolRow!.nodeId)!;
		expect(area.figures.counts.done).toBe(1);
		expect(area.figures.rate).toBe(1);
		const kpi = p.kpis.find((k) => k.id === kpiId)!;
		// 2018 is not published, 2020 is planned: only 令和元年度's value is shown.
		expect(kpi.values.map((v) => v.periodYear)).toEqual([2019]);
		expect(kpi.latest?.value).toBe(520);
		expect(kpi.standing).toBe('on_track'); // 60% of the way, half the time
		expect(area.figures.kpis).toMatchObject({ count: 1, on_track: 1 });
		expect(p.whole.kpis.on_track).toBeGreaterThanOrEqual(1);
	});

	it('the authoriser: a closed page, or a suspended city, is not found, to anyone', async () => {
		const ctx = (t: TenantTarget, principal: Principal | null = null) =>
			tenantContext({ db, core, tenant: t, principal });
		const admin: Principal = {
			userId: 'u-admin',
			email: 'admin@koganei.example',
			displayName: '管理者',
			isOperator: false,
			memberships: [
				{ tenantId: tenant.id, tenantSlug: 'koganei', tenantName: '小金井市', role: 'admin', departmentIds: null }
			],
			prefectures: []
		};
		await expect(readPublishedPlan({ ctx: ctx(tenant), input: {} })).rejects.toMatchObject({ code: 'not_found' });
		await expect(readPublishedPlan({ ctx: ctx(tenant, admin), input: {} })).rejects.toMatchObject({
			code: 'not_found'
		});
		const open = { ...tenant, residentPage: true };
		expect((await readPublishedPlan({ ctx: ctx(open), input: {} })).fiscalYear).toBe(2019);
		await expect(readPublishedPlan({ ctx: ctx({ ...open, status: 'suspended' }), input: {} })).rejects.toMatchObject({
			code: 'not_found'
		});
	});

	it('the admin opens and closes the page: the directory says so, and the city’s history records who did', async () => {
		const admin: Principal = {
			userId: 'u-admin',
			email: 'admin@koganei.example',
			displayName: '管理者',
			isOperator: false,
			memberships: [
				{ tenantId: tenant.id, tenantSlug: 'koganei', tenantName: '小金井市', role: 'admin', departmentIds: null }
			],
			prefectures: []
		};
		const editor: Principal = {
			...admin,
			userId: 'u-editor',
			memberships: [{ ...admin.memberships[0]!, role: 'editor' }]
		};
		const as = (principal: Principal) => tenantContext({ db, core, tenant, principal });
		const shown = async () =>
			(await core.select({ on: tenants.residentPage }).from(tenants).where(eq(tenants.id, tenant.id)))[0]?.on;

		await expect(setResidentPage({ ctx: as(editor), input: { residentPage: 'on' } })).rejects.toMatchObject({
			code: 'forbidden'
		});
		await expect(setResidentPage({ ctx: as(admin), input: { residentPage: 'maybe' } })).rejects.toMatchObject({
			code: 'invalid'
		});
		expect(await shown()).toBe(false);

		expect(await setResidentPage({ ctx: as(admin), input: { residentPage: 'on' } })).toEqual({ residentPage: true });
		expect(await shown()).toBe(true);
		// Saying it again records nothing more.
		await setResidentPage({ ctx: as(admin), input: { residentPage: true } });
		await setResidentPage({ ctx: as(admin), input: { residentPage: 'off' } });
		expect(await shown()).toBe(false);

		const rows = await db.select().from(auditLog).where(eq(auditLog.entityId, 'resident-page'));
		expect(rows.map((r) => [r.action, r.before, r.after, r.actorEmail, r.actorRole])).toEqual([
			['update', { residentPage: false }, { residentPage: true }, 'admin@koganei.example', 'admin'],
			['update', { residentPage: true }, { residentPage: false }, 'admin@koganei.example', 'admin']
		]);
		const history = await listHistory({ ctx: testContext({ db, core, tenant }), input: {} });
		const worded = history.filter((e) => e.entityId === 'resident-page').map((e) => e.changes);
		expect(worded).toContainEqual([
			{ field: 'residentPage', before: { residentPage: false }, after: { residentPage: true } }
		]);
	});
});
