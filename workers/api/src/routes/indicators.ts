import { createRoute, z } from '@hono/zod-openapi';
import { listSharedIndicators, NotFoundError } from '@mamori/services';
import { indicatorLookup } from '@mamori/services/domain';
import { csvResponse, formatQuery, jsonOnly, jsonOrCsv, wantsCsv } from '../formats.ts';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';

const indicator = z
	.object({
		code: z.string().openapi({ example: 'bicycle_thefts' }),
		version: z
			.number()
			.int()
			.openapi({ description: 'The definition’s version: a changed definition is a new version' }),
		nameJa: z.string(),
		nameEn: z.string(),
		unit: z.string(),
		stockFlow: z.enum(['stock', 'flow']).nullable(),
		direction: z.enum(['higher', 'lower', 'neutral']),
		normalisation: z.enum(['absolute', 'per_10k_population', 'per_1k_population']),
		periodKind: z.enum(['fiscal_year', 'calendar_year']),
		categoryCode: z.string().nullable(),
		definition: z.string()
	})
	.openapi('SharedIndicator');

const CACHE = { 'cache-control': 'public, max-age=300' };

/** The shared indicators (共通指標) every city may map its KPIs to, each at its own version. */
export const indicators = createApi()
	.openapi(
		createRoute({
			method: 'get',
			path: '/',
			tags: ['public'],
			summary: '共通指標 · The shared indicators',
			middleware: [requires('public')],
			request: { query: formatQuery },
			responses: {
				200: jsonOrCsv('Every shared indicator, in order, with its version', z.array(indicator)),
				...problems(400)
			}
		}),
		async (c) => {
			const all = await listSharedIndicators({ core: c.get('core') });
			if (wantsCsv(c))
				return csvResponse(
					c,
					'shared-indicators',
					[
						'code',
						'version',
						'name_ja',
						'name_en',
						'unit',
						'stock_flow',
						'direction',
						'normalisation',
						'period_kind',
						'category_code',
						'definition'
					],
					all.map((i) => [
						i.code,
						i.version,
						i.nameJa,
						i.nameEn,
						i.unit,
						i.stockFlow,
						i.direction,
						i.normalisation,
						i.periodKind,
						i.categoryCode,
						i.definition
					]),
					CACHE
				);
			return c.json({ data: all }, 200, CACHE);
		}
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{code}',
			tags: ['public'],
			summary: '共通指標（1件） · One shared indicator',
			middleware: [requires('public')],
			request: { params: indicatorLookup },
			responses: { 200: jsonOnly('The indicator’s definition', indicator), ...problems(400, 404) }
		}),
		async (c) => {
			const { code } = c.req.valid('param');
			const found = (await listSharedIndicators({ core: c.get('core') })).find((i) => i.code === code);
			if (!found) throw new NotFoundError('indicator');
			return c.json({ data: found }, 200, CACHE);
		}
	);
