import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '@mamori/services';
import { indicatorView } from '@mamori/services/benchmarks';
import { benchmarkLookup, fiscalYearQuery } from '@mamori/services/domain';
import { csvResponse, jsonOrCsv, wantsCsv, withFormat } from '../formats.ts';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';

const fact = z
	.object({
		municipalityCode: z.string().nullable().openapi({ description: 'null: the city does not share its name' }),
		name: z.string().nullable(),
		fiscalYear: z.number().int(),
		value: z.number().nullable().openapi({ description: 'null for a city that does not share its name' }),
		normalised: z.number().nullable().openapi({ description: 'Per population, as the indicator says' }),
		rank: z.number().int().nullable(),
		progress: z.number().nullable().openapi({ description: 'Share of the way from baseline to target' }),
		population: z.number().int().nullable(),
		populationDate: z.string().nullable(),
		targetValue: z.number().nullable(),
		targetYear: z.number().int().nullable(),
		periodKind: z.string(),
		periodYear: z.number().int()
	})
	.openapi('BenchmarkFact');

const view = z.object({
	prefectureCode: z.string(),
	indicator: z.looseObject({
		code: z.string(),
		version: z.number().int(),
		nameJa: z.string(),
		nameEn: z.string(),
		unit: z.string()
	}),
	fiscalYear: z.number().int().nullable(),
	years: z.array(z.number().int()).openapi({ description: 'Fiscal years published in the prefecture, newest first' }),
	median: z.number().nullable(),
	facts: z.array(fact)
});

/**
 * Published benchmark facts (what cities published, an audited act of each city's admin), of one
 * prefecture and shared indicator in a fiscal year. A city is named only when it shares its name,
 * as it is to other cities (benchmarks/views.ts, cityStanding); for one that does not, what would
 * name it is left out too: its raw value, population and target (value ÷ normalised value is its
 * population, which is public), and the list of cities that have not published (by elimination).
 */
export const benchmarks = createApi().openapi(
	createRoute({
		method: 'get',
		path: '/{prefecture}/{indicator}',
		tags: ['public'],
		summary: 'ベンチマーク（都道府県・指標・年度） · Published benchmark facts',
		middleware: [requires('public')],
		request: { params: benchmarkLookup, query: withFormat(fiscalYearQuery) },
		responses: {
			200: jsonOrCsv('The facts of the year (else the newest published), ranked, with the median', view),
			...problems(400, 404)
		}
	}),
	async (c) => {
		const { prefecture, indicator: code } = c.req.valid('param');
		const { fiscalYear: asked } = c.req.valid('query');
		const found = await indicatorView({
			core: c.get('core'),
			scope: { prefectureCode: prefecture },
			fiscalYear: asked ?? 'newest',
			indicatorCode: code
		});
		if (!found.indicator) throw new NotFoundError('indicator');
		const fiscalYear = typeof found.fiscalYear === 'number' && found.fiscalYear > 0 ? found.fiscalYear : null;
		const facts = found.rows.map(
			({ shareName, municipalityCode, name, value, population, populationDate, targetValue, ...row }) =>
				shareName
					? { municipalityCode, name, value, population, populationDate, targetValue, ...row }
					: {
							municipalityCode: null,
							name: null,
							value: null,
							population: null,
							populationDate: null,
							targetValue: null,
							...row
						}
		);
		if (wantsCsv(c))
			return csvResponse(
				c,
				`benchmark-${prefecture}-${code}-${fiscalYear ?? 'none'}`,
				[
					'fiscal_year',
					'municipality_code',
					'name',
					'value',
					'unit',
					'normalised',
					'rank',
					'progress',
					'population',
					'population_date',
					'period_kind',
					'period_year'
				],
				facts.map((f) => [
					f.fiscalYear,
					f.municipalityCode,
					f.name,
					f.value,
					found.indicator!.unit,
					f.normalised,
					f.rank,
					f.progress,
					f.population,
					f.populationDate,
					f.periodKind,
					f.periodYear
				])
			);
		const {
			code: indicatorCode,
			version,
			nameJa,
			nameEn,
			unit,
			direction,
			normalisation,
			periodKind
		} = found.indicator;
		return c.json(
			{
				data: {
					prefectureCode: prefecture,
					indicator: { code: indicatorCode, version, nameJa, nameEn, unit, direction, normalisation, periodKind },
					fiscalYear,
					years: found.years,
					median: found.median,
					facts
				}
			},
			200
		);
	}
);
