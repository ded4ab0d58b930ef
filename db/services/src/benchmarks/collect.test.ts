import { describe, expect, it } from 'vitest';
import { seededCity } from '../../test/seeded.ts';
import { openCore } from '@mamori/db';
import { testContext } from '../../test/context.ts';
import { addMetric, addYearlyRecord, readInitiative, readPlanOverview } from '../index.ts';
import { collectFiscalYearFigures, collectFiscalYearsFigures, figureYears } from './collect.ts';

describe('what a city shares for a fiscal year', () => {
	it('目黒区 令和2年度: its KPIs at their baseline, and every initiative of the plan by category', async () => {
		const { db } = await seededCity('meguro');
		const figures = await collectFiscalYearFigures({ db, fiscalYear: 2020 });
		const byCode = Object.fromEntries(figures.indicators.map((f) => [f.indicatorCode, f]));
		expect(byCode.alert_mail_subscribers).toMatchObject({
			value: 9000,
			baselineValue: 9000,
			targetValue: 15000,
			targetYear: 2031
		});
		expect(byCode.bicycle_thefts).toMatchObject({ value: 429, periodKind: 'calendar_year', targetValue: 200 });
		// 784台 is not said to be a total or a year's count: it feeds no stock indicator.
		expect(byCode.anti_fraud_devices).toBeUndefined();
		expect(figures.categories.reduce((n, c) => Math.max(n, c.count), 0)).toBeGreaterThan(0);
		const titles = new Set(figures.categories.flatMap((c) => c.titles));
		expect(titles.size).toBe(13);
		db.$client.close();
	});

	it('目黒区 starts keeping records: a record for 令和7年度 leaves 令和2年度 counting every initiative of the plan', async () => {
		const city = await seededCity('meguro');
		const ctx = testContext({ db: city.db, core: openCore(city.core) });
		const first = (await readPlanOverview({ ctx, input: {} })).initiatives[0]!;
		await addYearlyRecord({
			ctx,
			input: { initiativeId: first.id, fiscalYear: '2025', phase: 'actual', text: '・パトロール 12回', metrics: [] }
		});
		const titles = async (fiscalYear: number) =>
			new Set((await collectFiscalYearFigures({ db: city.db, fiscalYear })).categories.flatMap((c) => c.titles));
		expect((await titles(2020)).size).toBe(13);
		expect([...(await titles(2025))]).toEqual([first.title]);
		// After the plan's period (令和13年度), no initiative is counted for a year without records.
		expect((await titles(2032)).size).toBe(0);
		city.db.$client.close();
	});

	it('小金井市 令和元年度: metrics of the year summed, each distinct measurement once', async () => {
		const { db } = await seededCity('koganei');
		const figures = await collectFiscalYearFigures({ db, fiscalYear: 2019 });
		const value = (code: string) => figures.indicators.find((f) => f.indicatorCode === code)?.value;
		expect(value('patrol_vehicles')).toBe(15);
		expect(value('patrol_runs')).toBe(503);
		expect(value('patrol_distance_km')).toBe(9344);
		expect(value('alert_mail_subscribers')).toBe(11874);
		expect(value('equipment_supported_groups')).toBe(5); // printed under two initiatives, counted once
		expect(value('consumer_education_sessions')).toBe(17); // 5 + 7 + 5 courses
		expect(figures.categories.flatMap((c) => c.titles)).toContain('街路灯の整備');
		// 令和元年度's empty cell is no record: that initiative shows no activity in the year.
		const titles = new Set(figures.categories.flatMap((c) => c.titles));
		expect(titles.size).toBe(24);
		expect(titles).not.toContain('空き家の適正な管理の推進');
		db.$client.close();
	});

	it('苫小牧市 令和5年度: a figure of its 事業概要 (a programme summary) is not a result; one of a 実績 is', async () => {
		const city = await seededCity('tomakomai');
		const ctx = testContext({ db: city.db, core: openCore(city.core) });
		const detail = await readInitiative({
			ctx,
			input: { id: (await readPlanOverview({ ctx, input: { q: '地域防犯啓発パトロール' } })).initiatives[0]!.id }
		});
		const summary = detail.records.find((r) => r.fiscalYear === 2023)!;
		expect(summary.phase).toBe('summary');
		const runs = {
			label: '青色防犯パトロール',
			value: '120',
			unit: '回',
			indicatorCode: 'patrol_runs',
			stockFlow: 'flow'
		};
		await addMetric({ ctx, input: { ...runs, recordId: summary.id } });
		expect((await collectFiscalYearFigures({ db: city.db, fiscalYear: 2023 })).indicators).toEqual([]);
		await addYearlyRecord({
			ctx,
			input: {
				initiativeId: detail.initiative.id,
				fiscalYear: '2023',
				phase: 'actual',
				text: '・パトロール 120回',
				metrics: [runs]
			}
		});
		const figures = await collectFiscalYearFigures({ db: city.db, fiscalYear: 2023 });
		expect(figures.indicators.map((f) => [f.indicatorCode, f.value])).toEqual([['patrol_runs', 120]]);
		city.db.$client.close();
	});

	it('a year without figures shares nothing', async () => {
		const { db } = await seededCity('tomakomai');
		const figures = await collectFiscalYearFigures({ db, fiscalYear: 2010 });
		expect(figures).toEqual({ fiscalYear: 2010, indicators: [], categories: [] });
		db.$client.close();
	});

	it('every year of a city read at once comes out as each year read alone (the drift check reads them so)', async () => {
		const shared = [];
		for (const slug of ['meguro', 'koganei', 'tomakomai'] as const) {
			const { db } = await seededCity(slug);
			// The city's own years, the seed plans' others and one after every plan's period.
			const years = [...new Set([...(await figureYears({ db })), 2019, 2020, 2023, 2032])];
			const alone = [];
			for (const fiscalYear of years) alone.push(await collectFiscalYearFigures({ db, fiscalYear }));
			shared.push(...alone.filter((f) => f.indicators.length > 0 || f.categories.length > 0));
			expect(await collectFiscalYearsFigures({ db, fiscalYears: years })).toEqual(alone);
			db.$client.close();
		}
		// Years with figures, not only empty ones, were compared.
		expect(shared.length).toBeGreaterThan(3);
	});
});
