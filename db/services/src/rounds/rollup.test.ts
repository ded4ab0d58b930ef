import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, type TenantDb } from '@mamori/db';
import {
	departments,
	indicators,
	indicatorValues,
	initiatives,
	reportingRounds,
	yearlyRecords,
	type ProgressStatus
} from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import type { TenantContext } from '../context.ts';
import { initiativeStatus, kpiProgress, readProgressRollup, type ProgressRollup } from './index.ts';

const byTitle = (r: ProgressRollup, title: string) => {
	const node = r.nodes.find((n) => n.title === title);
	if (!node) throw new Error(`no node ${title}`);
	return node;
};

describe('status and progress roll-up: the rules', () => {
	it('an initiative is as far as its least advanced department; cancelled only when all are', () => {
		expect(initiativeStatus([])).toBe('unreported');
		expect(initiativeStatus(['completed', 'done', 'partial'])).toBe('partial');
		expect(initiativeStatus(['completed', 'not_done'])).toBe('not_done');
		expect(initiativeStatus(['cancelled', 'done'])).toBe('done');
		expect(initiativeStatus(['cancelled', 'cancelled'])).toBe('cancelled');
	});

	it('a KPI’s progress follows its direction and is bounded to 0–1; missing figures give null', () => {
		const higher = { direction: 'higher' as const, baselineValue: 100, targetValue: 200 };
		const lower = { direction: 'lower' as const, baselineValue: 400, targetValue: 200 };
		expect(kpiProgress(higher, 150)).toBe(0.5);
		expect(kpiProgress(higher, 260)).toBe(1);
		expect(kpiProgress(higher, 90)).toBe(0);
		expect(kpiProgress(lower, 300)).toBe(0.5);
		expect(kpiProgress(lower, 100)).toBe(1);
		expect(kpiProgress(higher, null)).toBeNull();
		expect(kpiProgress({ ...higher, baselineValue: null }, 150)).toBeNull();
		expect(kpiProgress({ ...higher, targetValue: null }, 150)).toBeNull();
		// A target equal to the baseline (keep the level): met or not.
		expect(kpiProgress({ direction: 'lower', baselineValue: 0, targetValue: 0 }, 0)).toBe(1);
		expect(kpiProgress({ direction: 'lower', baselineValue: 0, targetValue: 0 }, 2)).toBe(0);
	});
});

describe('status and progress roll-up on the seed cities (real sqld)', () => {
	let koganei: TenantContext;
	let meguro: TenantContext;
	beforeAll(async () => {
		const k = await seededCity('koganei');
		koganei = testContext({ db: k.db, core: openCore(k.core) });
		const g = await seededCity('meguro');
		meguro = testContext({ db: g.db, core: openCore(g.core) });
	});
	const rollup = (ctx: TenantContext, input: Record<string, unknown> = {}) => readProgressRollup({ ctx, input });

	/** Sets the progress of the one actual record of an initiative, year and department (as an approved submission would). */
	async function report(db: TenantDb, title: string, year: number, department: string, progress: ProgressStatus) {
		const [item] = await db.select({ id: initiatives.id }).from(initiatives).where(eq(initiatives.title, title));
		const [dept] = await db.select({ id: departments.id }).from(departments).where(eq(departments.name, department));
		const updated = await db
			.update(yearlyRecords)
			.set({ progress, version: sql`${yearlyRecords.version} + 1` }) // the version guard wants each write to move it
			.where(
				and(
					eq(yearlyRecords.initiativeId, item!.id),
					eq(yearlyRecords.fiscalYear, year),
					eq(yearlyRecords.phase, 'actual'),
					eq(yearlyRecords.departmentId, dept!.id)
				)
			)
			.returning({ id: yearlyRecords.id });
		expect(updated, `${title} ${year} ${department}`).toHaveLength(1);
	}

	it('小金井市: counts by status per policy area, per top-level area and for the whole plan, and 実施率', async () => {
		const db = koganei.db;
		// 1 (1) 地域防犯力の向上 (3 initiatives, 地域安全課 each): completed, done, cancelled.
		await report(db, 'CoCoパトロール隊による地域パトロール', 2018, '地域安全課', 'completed');
		await report(db, '地域ボランティアによる防犯パトロール', 2018, '地域安全課', 'done');
		await report(db, '事業者による地域パトロール', 2018, '地域安全課', 'cancelled');
		// 1 (2) 子どもの安全確保 (4 initiatives): あいさつ運動 partial; 学校等における安全対策, seven
		// departments of which six have a 2018 record: 学務課 done, 交通対策課 completed, 指導室 partial,
		// 児童青少年課 cancelled, 生涯学習課 done, 保育課 not reported → the least advanced of those that
		// go on is partial (the cancelled one does not count, the silent one is not asked).
		await report(db, 'こがねいし安全・安心あいさつ運動(こきんちゃんあいさつ運動)', 2018, '地域安全課', 'partial');
		const school = '学校等における安全対策';
		await report(db, school, 2018, '学務課', 'done');
		await report(db, school, 2018, '交通対策課', 'completed');
		await report(db, school, 2018, '指導室', 'partial');
		await report(db, school, 2018, '児童青少年課', 'cancelled');
		await report(db, school, 2018, '生涯学習課', 'done');
		// 1 (3) 犯罪弱者の安全対策 (3 initiatives): 青少年… cancelled by both its reporting departments
		// → cancelled; 高齢者… not_done (経済課) and completed (保険年金課) → not_done; 女性… unreported.
		await report(db, '青少年の犯罪被害防止と健全育成活動の推進', 2018, '健康課', 'cancelled');
		await report(db, '青少年の犯罪被害防止と健全育成活動の推進', 2018, '児童青少年課', 'cancelled');
		await report(db, '高齢者や障がい者の犯罪被害防止啓発活動の推進', 2018, '経済課', 'not_done');
		await report(db, '高齢者や障がい者の犯罪被害防止啓発活動の推進', 2018, '保険年金課', 'completed');
		// 2 (1): こがねい安全・安心メール done. 4: 街路灯の整備 done. 3: only a 2019 report (not 2018's).
		await report(db, 'こがねい安全・安心メール、ツイッター', 2018, '地域安全課', 'done');
		await report(db, '街路灯の整備', 2018, '交通対策課', 'done');
		await report(db, '防犯ネットワークの充実', 2019, '地域安全課', 'completed');

		const r = await rollup(koganei, { fiscalYear: '2018' });
		expect(r.fiscalYear).toBe(2018);
		expect(r.years).toEqual([2018, 2019]);
		expect(r.labels).toEqual({});

		// (1): 3 initiatives; 実施率 = (done 1 + completed 1) ÷ (3 − cancelled 1 − unreported 0) = 2/2.
		const area11 = byTitle(r, '地域防犯力の向上');
		expect(area11.depth).toBe(1);
		expect(area11.counts).toEqual({ not_done: 0, partial: 0, done: 1, completed: 1, cancelled: 1, unreported: 0 });
		expect(area11.total).toBe(3);
		expect(area11.rate).toBe(1);
		// (2): partial 2, unreported 2 of 4; 実施率 = 0 ÷ (4 − 0 − 2) = 0.
		const area12 = byTitle(r, '子どもの安全確保');
		expect(area12.counts).toEqual({ not_done: 0, partial: 2, done: 0, completed: 0, cancelled: 0, unreported: 2 });
		expect(area12.rate).toBe(0);
		// (3): cancelled 1, not_done 1, unreported 1; 実施率 = 0 ÷ (3 − 1 − 1) = 0.
		const area13 = byTitle(r, '犯罪弱者の安全対策');
		expect(area13.counts).toEqual({ not_done: 1, partial: 0, done: 0, completed: 0, cancelled: 1, unreported: 1 });
		expect(area13.rate).toBe(0);
		// 1 = (1) + (2) + (3): 10 initiatives; 実施率 = (1 + 1) ÷ (10 − 2 − 3) = 2/5.
		const top1 = byTitle(r, '日常生活における安全安心の確保');
		expect(top1.depth).toBe(0);
		expect(top1.counts).toEqual({ not_done: 1, partial: 2, done: 1, completed: 1, cancelled: 2, unreported: 3 });
		expect(top1.total).toBe(10);
		expect(top1.rate).toBe(0.4);
		// 2: 6 initiatives, one done: 1 ÷ (6 − 0 − 5) = 1. 2 (2) has no report: no rate.
		expect(byTitle(r, '市民の防犯意識づくり')).toMatchObject({ total: 6, rate: 1 });
		expect(byTitle(r, '安全に関する意識を高めるための啓発活動')).toMatchObject({ total: 1, rate: null });
		// 3: its only report is for 2019: 3 unreported, no rate.
		expect(byTitle(r, '地域における防犯ネットワークづくり')).toMatchObject({
			total: 3,
			rate: null,
			counts: { not_done: 0, partial: 0, done: 0, completed: 0, cancelled: 0, unreported: 3 }
		});
		// Whole plan: 25 initiatives (10 + 6 + 3 + 6); done 3 (ボランティア, メール, 街路灯), completed 1,
		// partial 2, not_done 1, cancelled 2, unreported 25 − 9 = 16; 実施率 = (3 + 1) ÷ (25 − 2 − 16) = 4/7.
		expect(r.whole.counts).toEqual({ not_done: 1, partial: 2, done: 3, completed: 1, cancelled: 2, unreported: 16 });
		expect(r.whole.total).toBe(25);
		expect(r.whole.rate).toBeCloseTo(4 / 7, 10);
		// 小金井市's guideline has no KPIs.
		expect(r.whole.kpis).toEqual({ count: 0, measured: 0, progress: null });
		expect(r.initiatives.find((i) => i.title === school)?.status).toBe('partial');

		// 2019: only 防犯ネットワークの充実 reported (completed): 1 ÷ (25 − 0 − 24) = 1. With no round,
		// the default year is the latest with actual records.
		const later = await rollup(koganei);
		expect(later.fiscalYear).toBe(2019);
		expect(later.whole.counts).toMatchObject({ completed: 1, unreported: 24 });
		expect(later.whole.rate).toBe(1);
	});

	it('小金井市: a round’s year is the default, with the city’s own words for the statuses', async () => {
		await koganei.db.insert(reportingRounds).values({
			id: newId(),
			fiscalYear: 2018,
			deadline: '2019-05-31',
			progressLabels: { done: '実施済み', not_done: '未着手' }
		});
		const r = await rollup(koganei, { fiscalYear: 'not a year' });
		expect(r.fiscalYear).toBe(2018);
		expect(r.labels).toEqual({ done: '実施済み', not_done: '未着手' });
	});

	it('目黒区: KPI progress per policy area and for the plan, from the latest value at or before the year', async () => {
		const db = meguro.db;
		const kpi = async (name: string) =>
			(await db.select({ id: indicators.id }).from(indicators).where(eq(indicators.name, name)))[0]!.id;
		const value = async (name: string, periodYear: number, v: number) =>
			db.insert(indicatorValues).values({
				id: newId(),
				indicatorId: await kpi(name),
				periodKind: 'fiscal_year',
				periodYear,
				value: v
			});
		// 施策 1: 「生活安全緊急メール」の登録者数 (higher, 9,000 → 15,000): 12,000 in 2023 → 3,000/6,000 = 0.5
		// (the 15,000 of 2025 is after 2024); 自転車盗難被害状況 (lower, 429 → 200): 400 in 2022, then 337.4 in
		// 2024 → (429 − 337.4)/(429 − 200) = 91.6/229 = 0.4. Mean (0.5 + 0.4)/2 = 0.45.
		await value('「生活安全緊急メール」の登録者数', 2023, 12_000);
		await value('「生活安全緊急メール」の登録者数', 2025, 15_000);
		await value('自転車盗難被害状況', 2022, 400);
		await value('自転車盗難被害状況', 2024, 337.4);
		// 施策 2: (団体) 116 → 200 at 250, beyond the target: 134/84 > 1, bounded to 1; (個人) has no value,
		// left out. Mean of one: 1.
		await value('地域安全パトロール加入現況(団体)', 2024, 250);
		// 施策 3: cameras 47 → 82 at 40, worse than the baseline: bounded to 0; devices 784 → 2,400 at
		// 1,592: 808/1,616 = 0.5. Mean 0.25.
		await value('防犯カメラを整備している町会・自治会数', 2024, 40);
		await value('電話による特殊詐欺被害防止を目的とした機器の設置数', 2024, 1_592);
		// 施策 4: three KPIs, no values: no progress.

		const r = await rollup(meguro, { fiscalYear: '2024' });
		const [n1, n2, n3, n4] = r.nodes;
		expect(r.nodes.map((n) => n.code)).toEqual(['1', '2', '3', '4']);
		expect(n1!.kpis.count).toBe(2);
		expect(n1!.kpis.measured).toBe(2);
		expect(n1!.kpis.progress).toBeCloseTo(0.45, 10);
		expect(n2!.kpis).toEqual({ count: 2, measured: 1, progress: 1 });
		expect(n3!.kpis).toMatchObject({ count: 2, measured: 2 });
		expect(n3!.kpis.progress).toBeCloseTo(0.25, 10);
		expect(n4!.kpis).toEqual({ count: 3, measured: 0, progress: null });
		// The plan: 9 KPIs, 5 measured: (0.5 + 0.4 + 1 + 0 + 0.5)/5 = 2.4/5 = 0.48.
		expect(r.whole.kpis).toMatchObject({ count: 9, measured: 5 });
		expect(r.whole.kpis.progress).toBeCloseTo(0.48, 10);
		// 目黒区's plan has no yearly records: its 13 initiatives are all unreported, no rate.
		expect(r.whole).toMatchObject({ total: 13, rate: null, counts: { unreported: 13 } });

		// In 2025 the mail KPI reaches its target: 施策 1 = (1 + 0.4)/2 = 0.7.
		const next = await rollup(meguro, { fiscalYear: '2025' });
		expect(next.nodes[0]!.kpis.progress).toBeCloseTo(0.7, 10);
	});

	it('reading asks the authoriser for plan.read (any member of the city), and nothing else', async () => {
		const asked: string[] = [];
		const ctx = testContext({ db: meguro.db, core: meguro.core, authorize: (action) => void asked.push(action) });
		await rollup(ctx);
		expect(asked).toEqual(['plan.read']);
	});
});
