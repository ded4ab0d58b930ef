// CSV exports of the benchmark views: UTF-8 with a BOM so that Excel opens it right; the rows
// are the rows of the page.
import {
	coverageView,
	compareView,
	indicatorView,
	publishedYears,
	rounded,
	trendView
} from '@mamori/services/benchmarks';
import { csvText } from '@mamori/services/sheets';
import { error } from '@sveltejs/kit';
import { benchmarkScope, yearChoiceParam, indicatorParam, taxonomyParam } from '$lib/server/benchmarks';
import type { EndpointAccess } from '$lib/server/access';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { perPopulation as perResidents } from '$lib/components/benchmarks/labels';

export const _access = { GET: 'session' } satisfies EndpointAccess;

type Cell = string | number | null;

export const GET: RequestHandler = async ({ locals, url, params }) => {
	const core = locals.core;
	const [scope, years] = await benchmarkScope(locals, url, (scope) => publishedYears({ core, scope }));
	// Column names in the reader's language; the figures and names are the cities' own.
	const locale = { locale: locals.locale };
	const fiscalYear = yearChoiceParam(url, years);
	// Values rounded as the page shows them; the unrounded value in a column of its own.
	const raw = (column: string) => m.csv_raw({ column }, locale);
	const percent = (p: number | null) => (p === null ? null : Math.round(p * 100));
	const basis = (column: string, normalisation: string | null | undefined) =>
		m.csv_with_basis({ column, basis: perResidents(normalisation, locale) }, locale);
	const indicatorCode = indicatorParam(url);
	let rows: Cell[][];
	if (params.view === 'indicator' && fiscalYear !== null) {
		const v = await indicatorView({ core, scope, fiscalYear, indicatorCode });
		const perPopulation = basis(m.csv_per_population({}, locale), v.indicator?.normalisation);
		const progress = m.csv_progress({}, locale);
		rows = [
			[
				m.csv_rank({}, locale),
				m.csv_municipality_code({}, locale),
				m.csv_municipality({}, locale),
				m.csv_published_for({}, locale),
				m.csv_value({}, locale),
				m.csv_unit({}, locale),
				m.csv_population({}, locale),
				m.csv_population_date({}, locale),
				perPopulation,
				m.csv_target({}, locale),
				m.csv_target_year({}, locale),
				m.csv_with_basis({ column: progress, basis: '%' }, locale),
				raw(perPopulation),
				raw(progress)
			],
			...v.rows.map((r) => [
				r.rank,
				r.municipalityCode,
				r.name,
				r.fiscalYear,
				r.value,
				v.indicator?.unit ?? '',
				r.population,
				r.populationDate,
				rounded(r.normalised),
				r.targetValue,
				r.targetYear,
				percent(r.progress),
				r.normalised,
				r.progress
			]),
			[m.csv_median({}, locale), '', '', '', '', '', '', '', rounded(v.median), '', '', '', v.median, '']
		];
	} else if (params.view === 'trend') {
		const v = await trendView({ core, scope, indicatorCode });
		rows = [
			[
				m.csv_municipality_code({}, locale),
				m.csv_municipality({}, locale),
				...v.years.map((y) => basis(String(y), v.indicator?.normalisation)),
				...v.years.map((y) => raw(basis(String(y), v.indicator?.normalisation)))
			],
			...v.series.map((s) => [
				s.municipalityCode,
				s.name,
				...s.points.map((p) => rounded(p.normalised)),
				...s.points.map((p) => p.normalised)
			]),
			['', m.csv_median({}, locale), ...v.medians.map((x) => rounded(x)), ...v.medians]
		];
	} else if (params.view === 'coverage' && typeof fiscalYear === 'number') {
		const v = await coverageView({ core, scope, fiscalYear, taxonomyVersion: taxonomyParam(url) });
		rows = [
			[m.csv_category_code({}, locale), m.csv_category({}, locale), ...v.cities.map((c) => c.name)],
			...v.categories.map((c) => [
				c.code,
				c.nameJa,
				...v.cities.map((city) => v.cell(city.municipalityCode, c.code)?.count ?? 0)
			])
		];
	} else if (params.view === 'compare' && fiscalYear !== null) {
		const v = await compareView({ core, scope, fiscalYear, municipalityCodes: url.searchParams.getAll('city') });
		rows = [
			[m.csv_indicator({}, locale), m.csv_unit({}, locale), ...v.cities.map((c) => c.name)],
			[m.csv_published_for({}, locale), '', ...v.cities.map((c) => c.fiscalYear)],
			...v.rows.map((r) => [r.indicator.nameJa, r.indicator.unit, ...r.values.map((x) => x?.value ?? null)])
		];
	} else error(404, { message: m.error_not_found({}, locale) });
	const name = `mamori-${params.view}-${scope.prefectureCode}${fiscalYear ? `-${fiscalYear}` : ''}.csv`;
	return new Response(csvText(rows, { escapeFormulae: true }), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }
	});
};
