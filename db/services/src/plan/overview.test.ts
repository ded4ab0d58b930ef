import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { readPlanOverview, type TenantContext } from '../index.ts';

// The overview's search and filters on the seed cities' own shapes.
describe('plan overview: search and filters (real sqld)', () => {
	const contexts: Record<string, TenantContext> = {};
	beforeAll(async () => {
		for (const slug of ['meguro', 'koganei', 'tomakomai'] as const) {
			const city = await seededCity(slug);
			contexts[slug] = testContext({ db: city.db, core: openCore(city.core), actor: { id: 'u', name: '閲覧者' } });
		}
	});
	const overview = (slug: string, input: Record<string, unknown>) => readPlanOverview({ ctx: contexts[slug]!, input });

	it('目黒区: years come from the KPIs and the plan period; a KPI is found by its name and its notes', async () => {
		const all = await overview('meguro', {});
		expect(all.years).toEqual([2020, 2031]);
		expect(all.departments).toEqual([]);
		expect(all.fiscalYear).toBeNull(); // no yearly records: no year's status to show
		const byName = await overview('meguro', { q: '自転車盗難' });
		expect(byName.hits.map((h) => [h.kind, h.title])).toContainEqual(['kpi', '自転車盗難被害状況']);
		const kpi = byName.hits.find((h) => h.kind === 'kpi')!;
		expect(kpi.targetId).toBe(kpi.id);
	});

	it('小金井市: a yearly record is found by its text and by a metric label, in any width', async () => {
		const byMetric = await overview('koganei', { q: 'パトロール回数' });
		const records = byMetric.hits.filter((h) => h.kind === 'record');
		expect(records.length).toBeGreaterThan(0);
		expect(records.every((r) => r.fiscalYear === 2018 || r.fiscalYear === 2019)).toBe(true);
		const wide = await overview('koganei', { q: 'ＣｏＣｏパトロール' });
		expect(wide.hits.some((h) => h.kind === 'initiative')).toBe(true);
		expect(wide.initiatives.length).toBeGreaterThan(0);
		const ofYear = await overview('koganei', { q: 'パトロール回数', fiscalYear: '2018' });
		expect(ofYear.hits.filter((h) => h.kind === 'record').every((r) => r.fiscalYear === 2018)).toBe(true);
	});

	it('苫小牧市: the plan period adds its years; departments and used categories are offered', async () => {
		const all = await overview('tomakomai', {});
		expect(all.years).toEqual(expect.arrayContaining([2020, 2021, 2022, 2023, 2024]));
		expect(all.departments.length).toBeGreaterThan(0);
		expect(all.categoryCodes.length).toBeGreaterThan(0);
		const found = await overview('tomakomai', { q: '防犯だより' });
		expect(found.hits.map((h) => h.kind)).toContain('record');
	});
});
