// Benchmark views for prefectural officials (one prefecture) and operators (all): every view is
// one batch on the core database, however many cities subscribe.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { benchmarkFacts, benchmarkPublications } from '@mamori/db/core/benchmarks';
import { municipalities, municipalityPopulations, sharedIndicators, taxonomyEntries, tenants } from '@mamori/db/core';
import { categoriesOf } from '../taxonomy.ts';
import { withCity } from '../tenants/tenants.ts';
import { populationNearFact } from './population.ts';
import { median, normalise, progress, ranks, type Direction, type Normalisation } from './compute.ts';

/** Which cities a viewer may see: one prefecture, or every prefecture (operators). */
export type Scope = { prefectureCode: string } | { all: true };

const inScope = (scope: Scope): SQL | undefined =>
	'all' in scope ? undefined : eq(benchmarkFacts.prefectureCode, scope.prefectureCode);

const cityFields = {
	tenantId: benchmarkFacts.tenantId,
	municipalityCode: benchmarkFacts.municipalityCode,
	name: municipalities.name,
	population: municipalityPopulations.population,
	populationDate: municipalityPopulations.referenceDate,
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
			detail: benchmarkFacts.detail,
			taxonomyVersion: benchmarkFacts.taxonomyVersion
		})
		.from(benchmarkFacts)
		.innerJoin(municipalities, eq(municipalities.code, benchmarkFacts.municipalityCode))
		.innerJoin(tenants, eq(tenants.id, benchmarkFacts.tenantId))
		.leftJoin(municipalityPopulations, populationNearFact)
		.where(where)
		.orderBy(asc(benchmarkFacts.municipalityCode));
}

/** The published indicator values of a fiscal year in scope, narrowed by `which`. */
const indicatorFacts = (core: CoreDb, scope: Scope, fiscalYear: number, which: SQL) =>
	factQuery(
		core,
		and(inScope(scope), eq(benchmarkFacts.fiscalYear, fiscalYear), eq(benchmarkFacts.kind, 'indicator'), which)
	);

const indicatorDefs = (core: CoreDb) => core.select().from(sharedIndicators).orderBy(asc(sharedIndicators.position));

const publicationsInScope = (scope: Scope) =>
	'all' in scope ? undefined : eq(benchmarkPublications.prefectureCode, scope.prefectureCode);

const yearsQuery = (core: CoreDb, scope: Scope) =>
	core
		.selectDistinct({ year: benchmarkPublications.fiscalYear })
		.from(benchmarkPublications)
		.where(publicationsInScope(scope))
		.orderBy(asc(benchmarkPublications.fiscalYear));

/** Fiscal years with published figures in scope, newest first. */
export async function publishedYears({ core, scope }: { core: CoreDb; scope: Scope }): Promise<number[]> {
	const rows = await yearsQuery(core, scope);
	return rows.map((r) => r.year).reverse();
}

export interface IndicatorRow {
	municipalityCode: string;
	/** The fiscal year the figure was published for (in the latest-available view, each city's own). */
	fiscalYear: number;
	name: string;
	/** The city lets others see its name beside its figures (tenants.share_name): the public API names only those. */
	shareName: boolean;
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

/** A strict fiscal year, or each city's most recent published year ("latest available"). */
export type YearChoice = number | 'latest';

/** Of each city's facts, those of its most recent fiscal year (facts come ordered by city). */
function latestOfEachCity<T extends { municipalityCode: string; fiscalYear: number }>(facts: T[]): T[] {
	const newest = new Map<string, number>();
	for (const f of facts) newest.set(f.municipalityCode, Math.max(f.fiscalYear, newest.get(f.municipalityCode) ?? 0));
	return facts.filter((f) => f.fiscalYear === newest.get(f.municipalityCode));
}

/** The subscribed cities in scope, and the years each published: to list those that have not. */
function scopeCities(core: CoreDb, scope: Scope) {
	return core
		.select({
			municipalityCode: municipalities.code,
			name: municipalities.name,
			fiscalYear: benchmarkPublications.fiscalYear
		})
		.from(tenants)
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.leftJoin(benchmarkPublications, eq(benchmarkPublications.tenantId, tenants.id))
		.where(
			and(
				eq(tenants.status, 'active'),
				'all' in scope ? undefined : eq(municipalities.prefectureCode, scope.prefectureCode)
			)
		)
		.orderBy(asc(municipalities.code));
}

/** The cities in scope without a publication of the year (or of any year, for "latest available"). */
function notPublished(
	cities: { municipalityCode: string; name: string; fiscalYear: number | null }[],
	year: YearChoice
): { municipalityCode: string; name: string }[] {
	const published = new Set(
		cities
			.filter((c) => c.fiscalYear !== null && (year === 'latest' || c.fiscalYear === year))
			.map((c) => c.municipalityCode)
	);
	const all = new Map(cities.map((c) => [c.municipalityCode, { municipalityCode: c.municipalityCode, name: c.name }]));
	return [...all.values()].filter((c) => !published.has(c.municipalityCode));
}

/** The indicator facts of a year choice in scope, narrowed by `which`. */
const yearFacts = (core: CoreDb, scope: Scope, year: YearChoice, which: SQL) =>
	year === 'latest'
		? factQuery(core, and(inScope(scope), eq(benchmarkFacts.kind, 'indicator'), which))
		: indicatorFacts(core, scope, year, which);

/** The newest fiscal year published in scope, as SQL: a view of it needs no trip to learn it first. */
const newestYear = (core: CoreDb, scope: Scope) =>
	core
		.select({ year: sql<number>`max(${benchmarkPublications.fiscalYear})` })
		.from(benchmarkPublications)
		.where(publicationsInScope(scope));

/**
 * One shared indicator across the cities in scope: in one fiscal year, or each city's most
 * recent published figure with its year. The cities that have not published are listed.
 */
export async function indicatorView({
	core,
	scope,
	fiscalYear: asked,
	indicatorCode
}: {
	core: CoreDb;
	scope: Scope;
	/** `newest`: the newest fiscal year published in scope (the view says which it was). */
	fiscalYear: YearChoice | 'newest';
	indicatorCode: string;
}) {
	const byIndicator = eq(benchmarkFacts.indicatorCode, indicatorCode);
	const [all, defs, cities, yearRows] = await core.batch([
		asked === 'newest'
			? factQuery(
					core,
					and(
						inScope(scope),
						eq(benchmarkFacts.fiscalYear, sql`(${newestYear(core, scope)})`),
						eq(benchmarkFacts.kind, 'indicator'),
						byIndicator
					)
				)
			: yearFacts(core, scope, asked, byIndicator),
		indicatorDefs(core),
		scopeCities(core, scope),
		yearsQuery(core, scope)
	]);
	/** Fiscal years with published figures in scope, newest first. */
	const years = yearRows.map((r) => r.year).reverse();
	const fiscalYear: YearChoice = asked === 'newest' ? (years[0] ?? 0) : asked;
	const facts = fiscalYear === 'latest' ? latestOfEachCity(all) : all;
	const unpublished = notPublished(cities, fiscalYear);
	const indicator = defs.find((d) => d.code === indicatorCode) ?? null;
	if (!indicator)
		return {
			fiscalYear,
			years,
			indicator: null,
			indicators: defs,
			rows: [] as IndicatorRow[],
			median: null,
			unpublished
		};
	const normalised = facts.map((f) => normalise(f.value, indicator.normalisation as Normalisation, f.population));
	const rankOf = ranks(normalised, indicator.direction as Direction);
	const rows: IndicatorRow[] = facts.map((f, i) => ({
		municipalityCode: f.municipalityCode,
		fiscalYear: f.fiscalYear,
		name: f.name,
		shareName: f.shareName,
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
		fiscalYear,
		years,
		indicator,
		indicators: defs,
		rows,
		median: median(normalised.filter((v): v is number => v !== null)),
		unpublished
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

/**
 * Cities × taxonomy categories: initiative counts and the titles a city published. Counts compare
 * within one taxonomy version: the one asked for, else the newest with publications that year.
 */
export async function coverageView({
	core,
	scope,
	fiscalYear,
	taxonomyVersion
}: {
	core: CoreDb;
	scope: Scope;
	fiscalYear: number;
	taxonomyVersion?: number | null;
}) {
	const [all, entries] = await core.batch([
		factQuery(
			core,
			and(inScope(scope), eq(benchmarkFacts.fiscalYear, fiscalYear), eq(benchmarkFacts.kind, 'category'))
		),
		core.select().from(taxonomyEntries).orderBy(asc(taxonomyEntries.position))
	]);
	const versions = [...new Set(all.map((f) => f.taxonomyVersion))].sort((a, b) => b - a);
	const version = taxonomyVersion && versions.includes(taxonomyVersion) ? taxonomyVersion : (versions[0] ?? null);
	const facts = all.filter((f) => f.taxonomyVersion === version);
	const categories = categoriesOf(entries, version);
	const cities = [
		...new Map(facts.map((f) => [f.municipalityCode, { municipalityCode: f.municipalityCode, name: f.name }])).values()
	];
	const own = new Map(
		facts.map((f) => [`${f.municipalityCode}:${f.categoryCode}`, (f.detail as string[] | null) ?? []] as const)
	);
	// A parent category counts its own initiatives and its children's, each initiative once
	// (one filed under two sub-categories is one initiative of the parent).
	const below = (code: string): string[] => [
		code,
		...categories.filter((c) => c.parentCode === code).flatMap((c) => below(c.code))
	];
	const cells = new Map<string, { count: number; titles: string[] }>();
	for (const city of cities)
		for (const category of categories) {
			const codes = below(category.code);
			const titles = [...new Set(codes.flatMap((code) => own.get(`${city.municipalityCode}:${code}`) ?? []))];
			const counted = codes.some((code) => own.has(`${city.municipalityCode}:${code}`));
			if (counted) cells.set(`${city.municipalityCode}:${category.code}`, { count: titles.length, titles });
		}
	return {
		taxonomyVersion: version,
		taxonomyVersions: versions,
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
	fiscalYear: YearChoice;
	municipalityCodes: string[];
}) {
	const [all, defs] = await core.batch([
		yearFacts(
			core,
			scope,
			fiscalYear,
			inArray(benchmarkFacts.municipalityCode, municipalityCodes.length ? municipalityCodes : [''])
		),
		indicatorDefs(core)
	]);
	const facts = fiscalYear === 'latest' ? latestOfEachCity(all) : all;
	const cities = [
		...new Map(
			facts.map((f) => [
				f.municipalityCode,
				{ municipalityCode: f.municipalityCode, name: f.name, fiscalYear: f.fiscalYear }
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
					? {
							value: f.value,
							normalised: normalise(f.value, d.normalisation as Normalisation, f.population),
							populationDate: f.populationDate,
							periodKind: f.periodKind,
							periodYear: f.periodYear
						}
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

/** The cities in scope that published a fiscal year (or any year), to choose from, with when they did. */
export async function publishedCities({
	core,
	scope,
	fiscalYear
}: {
	core: CoreDb;
	scope: Scope;
	fiscalYear?: number | undefined;
}) {
	const rows = await withCity(
		core
			.select({
				municipalityCode: municipalities.code,
				name: municipalities.name,
				publishedAt: benchmarkPublications.publishedAt
			})
			.from(benchmarkPublications)
			.$dynamic(),
		benchmarkPublications.tenantId
	)
		.where(
			and(
				fiscalYear === undefined ? undefined : eq(benchmarkPublications.fiscalYear, fiscalYear),
				'all' in scope ? undefined : eq(benchmarkPublications.prefectureCode, scope.prefectureCode)
			)
		)
		.orderBy(asc(municipalities.code));
	// A city that published several years is one choice, with its latest publication.
	return [...Map.groupBy(rows, (r) => r.municipalityCode).values()].map((own) =>
		own.reduce((a, b) => (b.publishedAt > a.publishedAt ? b : a))
	);
}
