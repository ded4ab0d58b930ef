// Benchmark views for prefectural officials (one prefecture) and operators (all): every view is
// one batch on the core database, however many cities subscribe.
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { benchmarkFacts, benchmarkPublications } from '@mamori/db/core/benchmarks';
import { municipalities, sharedIndicators, taxonomyCategories, tenants } from '@mamori/db/core';
import { median, normalise, progress, ranks, type Direction, type Normalisation } from './compute.ts';

/** Which cities a viewer may see: one prefecture, or every prefecture (operators). */
export type Scope = { prefectureCode: string } | { all: true };

const inScope = (scope: Scope): SQL | undefined =>
	'all' in scope ? undefined : eq(benchmarkFacts.prefectureCode, scope.prefectureCode);

const cityFields = {
	tenantId: benchmarkFacts.tenantId,
	municipalityCode: benchmarkFacts.municipalityCode,
	name: municipalities.name,
	population: municipalities.population,
	populationDate: municipalities.populationDate,
	shareName: tenants.shareName
};

function factQuery(core: CoreDb, where: SQL | undefined) {
	return core
		.select({
			...cityFields,
			fiscalYear: benchmarkFacts.fiscalYear,
			kind: benchmarkFacts.kind,
			indicatorCode: benchmarkFacts.indicatorCode,
			categoryCode: benchmarkFacts.categoryCode,
			value: benchmarkFacts.value,
			periodKind: benchmarkFacts.periodKind,
			periodYear: benchmarkFacts.periodYear,
			baselineValue: benchmarkFacts.baselineValue,
			targetValue: benchmarkFacts.targetValue,
			targetYear: benchmarkFacts.targetYear,
			detail: benchmarkFacts.detail
		})
		.from(benchmarkFacts)
		.innerJoin(municipalities, eq(municipalities.code, benchmarkFacts.municipalityCode))
		.innerJoin(tenants, eq(tenants.id, benchmarkFacts.tenantId))
		.where(where)
		.orderBy(asc(benchmarkFacts.municipalityCode));
}

const indicatorDefs = (core: CoreDb) => core.select().from(sharedIndicators).orderBy(asc(sharedIndicators.position));

/** Fiscal years with published figures in scope, newest first. */
export async function publishedYears({ core, scope }: { core: CoreDb; scope: Scope }): Promise<number[]> {
	const rows = await core
		.selectDistinct({ year: benchmarkPublications.fiscalYear })
		.from(benchmarkPublications)
		.where('all' in scope ? undefined : eq(benchmarkPublications.prefectureCode, scope.prefectureCode))
		.orderBy(asc(benchmarkPublications.fiscalYear));
	return rows.map((r) => r.year).reverse();
}

export interface IndicatorRow {
	municipalityCode: string;
	name: string;
	value: number;
	population: number | null;
	populationDate: string | null;
	normalised: number | null;
	rank: number | null;
	progress: number | null;
	targetValue: number | null;
	targetYear: number | null;
	periodKind: string;
	periodYear: number;
}

/** One shared indicator in one fiscal year across the cities in scope. */
export async function indicatorView({
	core,
	scope,
	fiscalYear,
	indicatorCode
}: {
	core: CoreDb;
	scope: Scope;
	fiscalYear: number;
	indicatorCode: string;
}) {
	const [facts, defs] = await core.batch([
		factQuery(
			core,
			and(
				inScope(scope),
				eq(benchmarkFacts.fiscalYear, fiscalYear),
				eq(benchmarkFacts.kind, 'indicator'),
				eq(benchmarkFacts.indicatorCode, indicatorCode)
			)
		),
		indicatorDefs(core)
	]);
	const indicator = defs.find((d) => d.code === indicatorCode) ?? null;
	if (!indicator) return { indicator: null, indicators: defs, rows: [] as IndicatorRow[], median: null };
	const normalised = facts.map((f) => normalise(f.value, indicator.normalisation as Normalisation, f.population));
	const rankOf = ranks(normalised, indicator.direction as Direction);
	const rows: IndicatorRow[] = facts.map((f, i) => ({
		municipalityCode: f.municipalityCode,
		name: f.name,
		value: f.value,
		population: f.population,
		populationDate: f.populationDate,
		normalised: normalised[i]!,
		rank: rankOf[i]!,
		progress: progress(f.baselineValue, f.targetValue, f.value),
		targetValue: f.targetValue,
		targetYear: f.targetYear,
		periodKind: f.periodKind,
		periodYear: f.periodYear
	}));
	rows.sort(
		(a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.municipalityCode.localeCompare(b.municipalityCode)
	);
	return {
		indicator,
		indicators: defs,
		rows,
		median: median(normalised.filter((v): v is number => v !== null))
	};
}

/** The same indicator over every published fiscal year: one series per city. */
export async function trendView({ core, scope, indicatorCode }: { core: CoreDb; scope: Scope; indicatorCode: string }) {
	const [facts, defs] = await core.batch([
		factQuery(
			core,
			and(inScope(scope), eq(benchmarkFacts.kind, 'indicator'), eq(benchmarkFacts.indicatorCode, indicatorCode))
		),
		indicatorDefs(core)
	]);
	const indicator = defs.find((d) => d.code === indicatorCode) ?? null;
	const years = [...new Set(facts.map((f) => f.fiscalYear))].sort((a, b) => a - b);
	const series = [...Map.groupBy(facts, (f) => f.municipalityCode).values()].map((rows) => ({
		municipalityCode: rows[0]!.municipalityCode,
		name: rows[0]!.name,
		points: years.map((year) => {
			const f = rows.find((r) => r.fiscalYear === year);
			return {
				year,
				value: f?.value ?? null,
				normalised: f && indicator ? normalise(f.value, indicator.normalisation as Normalisation, f.population) : null
			};
		})
	}));
	const medians = years.map((year) =>
		median(series.map((s) => s.points.find((p) => p.year === year)!.normalised).filter((v): v is number => v !== null))
	);
	return { indicator, indicators: defs, years, series, medians };
}

/** Cities × taxonomy categories: initiative counts and the titles a city published. */
export async function coverageView({ core, scope, fiscalYear }: { core: CoreDb; scope: Scope; fiscalYear: number }) {
	const [facts, categories] = await core.batch([
		factQuery(
			core,
			and(inScope(scope), eq(benchmarkFacts.fiscalYear, fiscalYear), eq(benchmarkFacts.kind, 'category'))
		),
		core.select().from(taxonomyCategories).orderBy(asc(taxonomyCategories.position))
	]);
	const cities = [
		...new Map(facts.map((f) => [f.municipalityCode, { municipalityCode: f.municipalityCode, name: f.name }])).values()
	];
	const cells = new Map(
		facts.map((f) => [
			`${f.municipalityCode}:${f.categoryCode}`,
			{ count: f.value, titles: (f.detail as string[] | null) ?? [] }
		])
	);
	return {
		cities,
		categories,
		cell: (municipalityCode: string, categoryCode: string) => cells.get(`${municipalityCode}:${categoryCode}`) ?? null,
		cells: Object.fromEntries(cells)
	};
}

/** Two or more cities side by side across every shared indicator in one fiscal year. */
export async function compareView({
	core,
	scope,
	fiscalYear,
	municipalityCodes
}: {
	core: CoreDb;
	scope: Scope;
	fiscalYear: number;
	municipalityCodes: string[];
}) {
	const [facts, defs] = await core.batch([
		factQuery(
			core,
			and(
				inScope(scope),
				eq(benchmarkFacts.fiscalYear, fiscalYear),
				eq(benchmarkFacts.kind, 'indicator'),
				inArray(benchmarkFacts.municipalityCode, municipalityCodes.length ? municipalityCodes : [''])
			)
		),
		indicatorDefs(core)
	]);
	const cities = [
		...new Map(
			facts.map((f) => [
				f.municipalityCode,
				{ municipalityCode: f.municipalityCode, name: f.name, population: f.population }
			])
		).values()
	];
	const rows = defs
		.filter((d) => facts.some((f) => f.indicatorCode === d.code))
		.map((d) => ({
			indicator: d,
			values: cities.map((c) => {
				const f = facts.find((x) => x.indicatorCode === d.code && x.municipalityCode === c.municipalityCode);
				return f
					? { value: f.value, normalised: normalise(f.value, d.normalisation as Normalisation, c.population) }
					: null;
			})
		}));
	return { cities, rows };
}

/**
 * A city against its prefecture: its own value, the median and range of the others, and its rank.
 * Other cities are named only when they chose to share their names.
 */
export async function cityStanding({
	core,
	tenantId,
	prefectureCode,
	fiscalYear
}: {
	core: CoreDb;
	tenantId: string;
	prefectureCode: string;
	fiscalYear: number;
}) {
	const [facts, defs] = await core.batch([
		factQuery(
			core,
			and(
				eq(benchmarkFacts.prefectureCode, prefectureCode),
				eq(benchmarkFacts.fiscalYear, fiscalYear),
				eq(benchmarkFacts.kind, 'indicator')
			)
		),
		indicatorDefs(core)
	]);
	const rows = defs.flatMap((d) => {
		const forIndicator = facts.filter((f) => f.indicatorCode === d.code);
		const mine = forIndicator.find((f) => f.tenantId === tenantId);
		if (!mine) return [];
		const values = forIndicator.map((f) => normalise(f.value, d.normalisation as Normalisation, f.population));
		const known = values.filter((v): v is number => v !== null);
		const rankOf = ranks(values, d.direction as Direction);
		const index = forIndicator.indexOf(mine);
		return [
			{
				indicator: d,
				value: mine.value,
				normalised: values[index]!,
				rank: rankOf[index]!,
				cities: forIndicator.length,
				median: median(known),
				min: known.length ? Math.min(...known) : null,
				max: known.length ? Math.max(...known) : null,
				others: forIndicator
					.filter((f) => f.tenantId !== tenantId)
					.map((f) => ({
						name: f.shareName ? f.name : null,
						normalised: normalise(f.value, d.normalisation as Normalisation, f.population)
					}))
			}
		];
	});
	return { rows };
}

/** The cities in scope that published a fiscal year (to choose from), with when they did. */
export async function publishedCities({ core, scope, fiscalYear }: { core: CoreDb; scope: Scope; fiscalYear: number }) {
	return core
		.select({
			municipalityCode: municipalities.code,
			name: municipalities.name,
			publishedAt: benchmarkPublications.publishedAt
		})
		.from(benchmarkPublications)
		.innerJoin(tenants, eq(tenants.id, benchmarkPublications.tenantId))
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.where(
			and(
				eq(benchmarkPublications.fiscalYear, fiscalYear),
				'all' in scope ? undefined : eq(benchmarkPublications.prefectureCode, scope.prefectureCode)
			)
		)
		.orderBy(asc(municipalities.code));
}
