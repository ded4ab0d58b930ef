import { describe, expect, it } from 'vitest';
import { seededCity } from '../../test/seeded.ts';
import { collectFiscalYearFigures } from './collect.ts';

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
		expect(byCode.anti_fraud_devices).toMatchObject({ value: 784, targetValue: 2400 });
		expect(figures.categories.reduce((n, c) => Math.max(n, c.count), 0)).toBeGreaterThan(0);
		const titles = new Set(figures.categories.flatMap((c) => c.titles));
		expect(titles.size).toBe(13);
		db.$client.close();
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
		// 令和元年度's empty cell still counts the initiative as part of the year's plan
		expect(new Set(figures.categories.flatMap((c) => c.titles)).size).toBe(25);
		db.$client.close();
	});

	it('a year without figures shares nothing', async () => {
		const { db } = await seededCity('tomakomai');
		const figures = await collectFiscalYearFigures({ db, fiscalYear: 2010 });
		expect(figures).toEqual({ fiscalYear: 2010, indicators: [], categories: [] });
		db.$client.close();
	});
});
