// What a city shares when it publishes a fiscal year, read from its own database. The same
// result is the preview the admin confirms, so what is shown is exactly what is published.
import { and, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { TenantDb } from '@mamori/db';
import {
	indicatorValues,
	indicators,
	initiativeCategories,
	initiatives,
	metrics,
	nodeStatistics,
	planNodes,
	plans,
	yearlyRecords
} from '@mamori/db/tenant';

export interface IndicatorFigure {
	indicatorCode: string;
	value: number;
	periodKind: 'fiscal_year' | 'calendar_year';
	periodYear: number;
	baselineValue: number | null;
	targetValue: number | null;
	targetYear: number | null;
	/** Where the figure comes from: a KPI (成果指標) or the metrics of yearly records. */
	source:
		| { kind: 'kpi'; kpiId: string; name: string }
		| { kind: 'statistic'; statisticId: string; label: string }
		| { kind: 'metrics'; metricIds: string[]; labels: string[] };
}

export interface CategoryFigure {
	categoryCode: string;
	count: number;
	titles: string[];
}

export interface FiscalYearFigures {
	fiscalYear: number;
	indicators: IndicatorFigure[];
	categories: CategoryFigure[];
}

/**
 * Rules, in order:
 * - a KPI mapped to a shared indicator gives its value for the year (an entered value, else its
 *   baseline when the baseline is of that year), with the KPI's own baseline and target;
 * - otherwise a statistic of a policy area (現状と課題) of that year mapped to the indicator (a
 *   calendar-year count such as 刑法犯認知件数 goes with the fiscal year that starts in it);
 * - otherwise metrics of that year's actual records (results: not plans, not a programme's
 *   summary, never a planned figure) mapped to the indicator are added up, each
 *   distinct measurement once (the same figure repeated under two initiatives counts once);
 * - initiatives per category: those with a record in the year; in a year the city keeps no
 *   record for, every initiative of the plan when the year falls in the plan's period (a plan
 *   document such as 目黒区's) — so a record added for one year leaves the other years as they were.
 */
export async function collectFiscalYearFigures({
	db,
	fiscalYear
}: {
	db: TenantDb;
	fiscalYear: number;
}): Promise<FiscalYearFigures> {
	const [figures] = await collectFiscalYearsFigures({ db, fiscalYears: [fiscalYear] });
	return figures!;
}

/**
 * The figures of several fiscal years in one round trip (the drift check compares every published
 * year of a city): the plan, its KPIs and categories are read once, the yearly rows of every year
 * at once, and each year is then worked out as collectFiscalYearFigures would alone.
 */
export async function collectFiscalYearsFigures({
	db,
	fiscalYears
}: {
	db: TenantDb;
	fiscalYears: number[];
}): Promise<FiscalYearFigures[]> {
	if (fiscalYears.length === 0) return [];
	const rows = await readYears(db, fiscalYears);
	return fiscalYears.map((fiscalYear) => figuresOfYear(fiscalYear, rows));
}

/** The rows the figures of some years are worked out from, in one batch. */
function readYears(db: TenantDb, fiscalYears: number[]) {
	return db.batch([
		db
			.select()
			.from(indicators)
			.where(and(isNull(indicators.deletedAt), isNotNull(indicators.sharedIndicatorCode))),
		db
			.select()
			.from(indicatorValues)
			.where(and(inArray(indicatorValues.periodYear, fiscalYears), ne(indicatorValues.status, 'planned'))),
		statisticsOf(db, fiscalYears),
		db
			.select({
				id: metrics.id,
				label: metrics.label,
				value: metrics.value,
				unit: metrics.unit,
				indicatorCode: metrics.indicatorCode,
				periodKind: metrics.periodKind,
				periodYear: metrics.periodYear
			})
			.from(metrics)
			.innerJoin(yearlyRecords, eq(yearlyRecords.id, metrics.recordId))
			.innerJoin(initiatives, eq(initiatives.id, yearlyRecords.initiativeId))
			.where(
				and(
					isNotNull(metrics.indicatorCode),
					inArray(metrics.periodYear, fiscalYears),
					// Results only: not a plan, not a programme summary (事業概要), never a planned figure.
					eq(yearlyRecords.phase, 'actual'),
					ne(metrics.status, 'planned'),
					isNull(yearlyRecords.deletedAt),
					isNull(initiatives.deletedAt)
				)
			),
		db.select({ id: initiatives.id, title: initiatives.title }).from(initiatives).where(isNull(initiatives.deletedAt)),
		db.select().from(initiativeCategories),
		db
			.select({ initiativeId: yearlyRecords.initiativeId, fiscalYear: yearlyRecords.fiscalYear })
			.from(yearlyRecords)
			.where(and(inArray(yearlyRecords.fiscalYear, fiscalYears), isNull(yearlyRecords.deletedAt))),
		db
			.select({ periodStart: plans.periodStart, periodEnd: plans.periodEnd })
			.from(plans)
			.orderBy(plans.createdAt)
			.limit(1)
	]);
}

/** One year's figures from the rows of readYears. */
function figuresOfYear(
	fiscalYear: number,
	[kpis, allKpiValues, allStatistics, allMetricRows, items, cats, allRecords, planRows]: Awaited<
		ReturnType<typeof readYears>
	>
): FiscalYearFigures {
	const kpiValues = allKpiValues.filter((v) => v.periodYear === fiscalYear);
	const statistics = allStatistics.filter((s) => s.periodYear === fiscalYear);
	const metricRows = allMetricRows.filter((m) => m.periodYear === fiscalYear);
	const records = allRecords.filter((r) => r.fiscalYear === fiscalYear);
	const plan = planRows[0];
	const figures = new Map<string, IndicatorFigure>();
	for (const kpi of kpis) {
		const code = kpi.sharedIndicatorCode!;
		const entered = kpiValues.find((v) => v.indicatorId === kpi.id);
		const fromBaseline = kpi.baselineYear === fiscalYear && kpi.baselineValue !== null;
		if (!entered && !fromBaseline) continue;
		figures.set(code, {
			indicatorCode: code,
			value: entered ? entered.value : kpi.baselineValue!,
			periodKind: entered ? entered.periodKind : (kpi.baselinePeriodKind ?? 'fiscal_year'),
			periodYear: fiscalYear,
			baselineValue: kpi.baselineValue,
			targetValue: kpi.targetValue,
			targetYear: kpi.targetYear,
			source: { kind: 'kpi', kpiId: kpi.id, name: kpi.name }
		});
	}
	for (const stat of statistics) {
		const code = stat.sharedIndicatorCode!;
		if (figures.has(code)) continue; // the city's own KPI is its official figure
		figures.set(code, {
			indicatorCode: code,
			value: stat.value,
			periodKind: stat.periodKind,
			periodYear: stat.periodYear,
			baselineValue: null,
			targetValue: null,
			targetYear: null,
			source: { kind: 'statistic', statisticId: stat.id, label: stat.label }
		});
	}
	for (const [code, rows] of Map.groupBy(metricRows, (m) => m.indicatorCode!)) {
		if (figures.has(code)) continue; // the city's own KPI is its official figure
		const distinct = [...new Map(rows.map((m) => [`${m.label}\u0000${m.value}\u0000${m.unit}`, m])).values()];
		figures.set(code, {
			indicatorCode: code,
			value: distinct.reduce((sum, m) => sum + m.value, 0),
			periodKind: distinct[0]!.periodKind,
			periodYear: fiscalYear,
			baselineValue: null,
			targetValue: null,
			targetYear: null,
			source: {
				kind: 'metrics',
				metricIds: distinct.map((m) => m.id),
				labels: [...new Set(distinct.map((m) => m.label))]
			}
		});
	}

	const active = new Set(records.map((r) => r.initiativeId));
	const inPlanPeriod =
		plan !== undefined &&
		(plan.periodStart === null || plan.periodStart <= fiscalYear) &&
		(plan.periodEnd === null || fiscalYear <= plan.periodEnd);
	const title = new Map(items.map((i) => [i.id, i.title]));
	const counted = cats.filter(
		(c) => title.has(c.initiativeId) && (active.size > 0 ? active.has(c.initiativeId) : inPlanPeriod)
	);
	const categories = [...Map.groupBy(counted, (c) => c.categoryCode)].map(([categoryCode, rows]) => ({
		categoryCode,
		count: rows.length,
		titles: rows.map((r) => title.get(r.initiativeId)!)
	}));

	return {
		fiscalYear,
		indicators: [...figures.values()].sort((a, b) => a.indicatorCode.localeCompare(b.indicatorCode)),
		categories: categories.sort((a, b) => a.categoryCode.localeCompare(b.categoryCode))
	};
}

/** The statistics of live policy areas mapped to a shared indicator, of some years (or every year). */
function statisticsOf(db: TenantDb, years?: number[]) {
	return db
		.select({
			id: nodeStatistics.id,
			label: nodeStatistics.label,
			value: nodeStatistics.value,
			periodKind: nodeStatistics.periodKind,
			periodYear: nodeStatistics.periodYear,
			sharedIndicatorCode: nodeStatistics.sharedIndicatorCode
		})
		.from(nodeStatistics)
		.innerJoin(planNodes, eq(planNodes.id, nodeStatistics.nodeId))
		.where(
			and(
				isNotNull(nodeStatistics.sharedIndicatorCode),
				years === undefined ? undefined : inArray(nodeStatistics.periodYear, years),
				isNull(nodeStatistics.deletedAt),
				isNull(planNodes.deletedAt)
			)
		)
		.orderBy(nodeStatistics.position);
}

/**
 * Fiscal years the city has figures for (records, KPI values, KPI baselines, statistics that feed
 * an indicator), newest first: the only years it can publish.
 */
export async function figureYears({ db }: { db: TenantDb }): Promise<number[]> {
	const [records, values, kpis, statistics] = await db.batch([
		db.selectDistinct({ year: yearlyRecords.fiscalYear }).from(yearlyRecords).where(isNull(yearlyRecords.deletedAt)),
		db.selectDistinct({ year: indicatorValues.periodYear }).from(indicatorValues),
		db.selectDistinct({ year: indicators.baselineYear }).from(indicators).where(isNull(indicators.deletedAt)),
		statisticsOf(db)
	]);
	const years = new Set(
		[...records, ...values, ...kpis, ...statistics.map((s) => ({ year: s.periodYear }))]
			.map((r) => r.year)
			.filter((y): y is number => y !== null)
	);
	return [...years].sort((a, b) => b - a);
}
