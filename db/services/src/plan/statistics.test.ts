// Statistics of a policy area (目黒区's 現状と課題: 刑法犯認知件数 1,444件 in 令和2年) and the plan that
// 苫小牧市's 施策番号 point into, as seeded and as staff change them (real sqld).
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { auditLog } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { collectFiscalYearFigures, figureYears } from '../benchmarks/collect.ts';
import { publishFiscalYear } from '../benchmarks/publish.ts';
import {
	createStatistic,
	deleteStatistic,
	listNodeStatistics,
	readPlanOverview,
	updateStatistic,
	type TenantContext
} from '../index.ts';

async function firstNode(ctx: TenantContext, code: string) {
	const overview = await readPlanOverview({ ctx, input: {} });
	return overview!.nodes.find((n) => n.parentId === null && n.code === code)!.id;
}

describe('statistics of a policy area', () => {
	let meguro: TenantContext;
	let tomakomai: TenantContext;
	beforeAll(async () => {
		const [m, t] = await Promise.all([seededCity('meguro'), seededCity('tomakomai')]);
		meguro = testContext({ db: m.db, core: openCore(m.core), tenant: m.tenant });
		tomakomai = testContext({ db: t.db, core: openCore(t.core), tenant: t.tenant });
	}, 60_000);

	it("holds 目黒区's figures of 現状と課題 on their 施策, each with its period", async () => {
		const one = await listNodeStatistics({ ctx: meguro, input: { id: await firstNode(meguro, '1') } });
		expect(one.statistics[0]).toMatchObject({
			label: '刑法犯認知件数',
			value: 1444,
			unit: '件',
			periodKind: 'calendar_year',
			periodYear: 2020,
			status: null, // the document does not say whether it is final
			sharedIndicatorCode: 'penal_code_offences'
		});
		const four = await listNodeStatistics({ ctx: meguro, input: { id: await firstNode(meguro, '4') } });
		expect(four.statistics[0]).toMatchObject({
			value: 2655,
			periodKind: 'fiscal_year',
			periodYear: 2020,
			sharedIndicatorCode: 'consumer_consultations'
		});
	});

	it("holds the plan 苫小牧市's 施策番号 point into, with its title, period and section", async () => {
		const { references } = await listNodeStatistics({
			ctx: tomakomai,
			input: { id: await firstNode(tomakomai, '１') }
		});
		expect(references).toMatchObject([
			{
				title: '苫小牧市総合防犯計画（令和２年度から令和６年度）',
				periodStart: 2020,
				periodEnd: 2024,
				section: '第３章　計画の推進　２（１）市の取組　ア～カ',
				page: '23ﾍﾟｰｼﾞ'
			}
		]);
	});

	it('a statistic mapped to a shared indicator is published with the year that holds it', async () => {
		const figures = await collectFiscalYearFigures({ db: meguro.db, fiscalYear: 2020 });
		expect(figures.indicators.find((f) => f.indicatorCode === 'penal_code_offences')).toMatchObject({
			value: 1444,
			periodKind: 'calendar_year',
			periodYear: 2020,
			source: { kind: 'statistic', label: '刑法犯認知件数' }
		});
	});

	it('staff add, correct and delete a statistic; each change is in the history, a stale one refused', async () => {
		const nodeId = await firstNode(meguro, '1');
		const typed = {
			nodeId,
			label: '刑法犯認知件数',
			value: '１，８１４',
			unit: '件',
			periodKind: 'calendar_year',
			periodYear: '令和元',
			status: 'final',
			sharedIndicatorCode: 'penal_code_offences'
		};
		const { id } = await createStatistic({ ctx: meguro, input: typed });
		let saved = (await listNodeStatistics({ ctx: meguro, input: { id: nodeId } })).statistics.find((s) => s.id === id)!;
		expect(saved).toMatchObject({ value: 1814, periodYear: 2019, status: 'final', version: 1 });
		expect(await figureYears({ db: meguro.db })).toContain(2019);

		await updateStatistic({ ctx: meguro, input: { ...typed, id, version: 1, value: '1,815', status: '' } });
		saved = (await listNodeStatistics({ ctx: meguro, input: { id: nodeId } })).statistics.find((s) => s.id === id)!;
		expect(saved).toMatchObject({ value: 1815, status: null, version: 2 });
		await expect(updateStatistic({ ctx: meguro, input: { ...typed, id, version: 1 } })).rejects.toMatchObject({
			code: 'conflict',
			current: { value: 1815, version: 2 }
		});

		await deleteStatistic({ ctx: meguro, input: { id, version: 2, nodeId } });
		const after = await listNodeStatistics({ ctx: meguro, input: { id: nodeId } });
		expect(after.statistics.some((s) => s.id === id)).toBe(false);
		const history = await meguro.db.select().from(auditLog).where(eq(auditLog.entityId, nodeId));
		expect(history.map((h) => h.action)).toEqual(['create', 'update', 'delete']);
	});

	it('refuses a figure that does not fit its indicator, or is no number, with the reason beside the field', async () => {
		const nodeId = await firstNode(meguro, '1');
		const base = { nodeId, label: '刑法犯認知件数', value: '1444', unit: '件', periodYear: '2020' };
		await expect(
			createStatistic({
				ctx: meguro,
				input: { ...base, periodKind: 'fiscal_year', sharedIndicatorCode: 'penal_code_offences' }
			})
		).rejects.toMatchObject({
			code: 'invalid',
			issues: { sharedIndicatorCode: { key: 'error_statistic_indicator_period' } }
		});
		await expect(
			createStatistic({
				ctx: meguro,
				input: { ...base, unit: '人', periodKind: 'calendar_year', sharedIndicatorCode: 'penal_code_offences' }
			})
		).rejects.toMatchObject({
			code: 'invalid',
			issues: { sharedIndicatorCode: { key: 'error_statistic_indicator_unit', params: { unit: '件' } } }
		});
		await expect(
			createStatistic({ ctx: meguro, input: { ...base, value: '千件', periodKind: 'calendar_year' } })
		).rejects.toMatchObject({ code: 'invalid', issues: { value: { key: 'validation_number' } } });
		const { statistics } = await listNodeStatistics({ ctx: meguro, input: { id: nodeId } });
		expect(statistics.map((s) => s.label)).toEqual([
			'刑法犯認知件数',
			'刑法犯認知件数の前年からの減少数',
			'刑法犯認知件数の前年からの減少率'
		]);
	});

	it('publishing a year without figures is refused with the reason', async () => {
		await expect(publishFiscalYear({ ctx: meguro, input: { fiscalYear: 2015 } })).rejects.toMatchObject({
			code: 'invalid',
			issues: { fiscalYear: { key: 'error_publish_year_without_figures', params: { year: 2015 } } }
		});
	});
});
