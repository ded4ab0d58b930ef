// CSV exports of the benchmark views: UTF-8 with a BOM so that Excel opens it right; the rows
// are the rows of the page.
import {
	coverageView,
	compareView,
	indicatorView,
	publishedYears,
	toCsv,
	trendView
} from '@mamori/services/benchmarks';
import { error } from '@sveltejs/kit';
import { benchmarkScope, yearParam, indicatorParam } from '$lib/server/benchmarks';
import type { EndpointAccess } from '$lib/server/access';
import type { RequestHandler } from './$types';

export const _access = { GET: 'session' } satisfies EndpointAccess;

type Cell = string | number | null;

export const GET: RequestHandler = async ({ locals, url, params }) => {
	const scope = await benchmarkScope(locals, url);
	const core = locals.core;
	const years = await publishedYears({ core, scope });
	const fiscalYear = yearParam(url, years);
	const indicatorCode = indicatorParam(url);
	let rows: Cell[][];
	if (params.view === 'indicator' && fiscalYear !== null) {
		const v = await indicatorView({ core, scope, fiscalYear, indicatorCode });
		rows = [
			[
				'順位',
				'団体コード',
				'団体名',
				'年度',
				'値',
				'単位',
				'人口',
				'人口の基準日',
				'人口あたりの値',
				'目標値',
				'目標年度',
				'目標への進捗'
			],
			...v.rows.map((r) => [
				r.rank,
				r.municipalityCode,
				r.name,
				fiscalYear,
				r.value,
				v.indicator?.unit ?? '',
				r.population,
				r.populationDate,
				r.normalised,
				r.targetValue,
				r.targetYear,
				r.progress
			]),
			['中央値', '', '', fiscalYear, '', '', '', '', v.median, '', '', '']
		];
	} else if (params.view === 'trend') {
		const v = await trendView({ core, scope, indicatorCode });
		rows = [
			['団体コード', '団体名', ...v.years.map(String)],
			...v.series.map((s) => [s.municipalityCode, s.name, ...s.points.map((p) => p.normalised)]),
			['', '中央値', ...v.medians]
		];
	} else if (params.view === 'coverage' && fiscalYear !== null) {
		const v = await coverageView({ core, scope, fiscalYear });
		rows = [
			['分類コード', '分類', ...v.cities.map((c) => c.name)],
			...v.categories.map((c) => [
				c.code,
				c.nameJa,
				...v.cities.map((city) => v.cell(city.municipalityCode, c.code)?.count ?? 0)
			])
		];
	} else if (params.view === 'compare' && fiscalYear !== null) {
		const v = await compareView({ core, scope, fiscalYear, municipalityCodes: url.searchParams.getAll('city') });
		rows = [
			['指標', '単位', ...v.cities.map((c) => c.name)],
			...v.rows.map((r) => [r.indicator.nameJa, r.indicator.unit, ...r.values.map((x) => x?.value ?? null)])
		];
	} else error(404, { message: 'not found' });
	const name = `mamori-${params.view}-${scope.prefectureCode}${fiscalYear ? `-${fiscalYear}` : ''}.csv`;
	return new Response(toCsv(rows), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }
	});
};
