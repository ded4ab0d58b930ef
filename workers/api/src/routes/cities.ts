import { createRoute, z } from '@hono/zod-openapi';
import {
	listHistory,
	listTenants,
	readPlanOverview,
	tenantContext as buildTenantContext,
	type TenantContext
} from '@mamori/services';
import { citiesQuery, cityLookup, fiscalYearQuery, historyQuery, overviewFilters } from '@mamori/services/domain';
import { readPublishedPlan } from '@mamori/services/resident';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { csvResponse, jsonOnly, jsonOrCsv, wantsCsv, withFormat } from '../formats.ts';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';
import { publishedPlan, publishedPlanCsv } from './published-plan.ts';

/** The same service context the web app builds, from what `requires` resolved. */
export function tenantContext(c: Context<AppEnv>): TenantContext {
	return buildTenantContext({
		db: c.get('tenantDb')!,
		core: c.get('core'),
		tenant: c.get('tenant')!,
		principal: c.get('principal')
	});
}

const city = z
	.object({
		slug: z.string().openapi({ example: 'koganei' }),
		municipalityCode: z.string().openapi({ example: '132101' }),
		name: z.string().openapi({ example: '小金井市' }),
		prefectureCode: z.string(),
		prefectureName: z.string(),
		residentPage: z
			.boolean()
			.openapi({ description: 'The city shows its plan and published progress (/v1/cities/{slug}/plan)' })
	})
	.openapi('City');

/** A city's plan: what it published, for anyone; the whole of it (drafts included), for its own members. */
export const cities = createApi()
	.openapi(
		createRoute({
			method: 'get',
			path: '/',
			tags: ['public'],
			summary: '参加自治体 · The subscribed cities',
			middleware: [requires('public')],
			request: { query: withFormat(citiesQuery) },
			responses: {
				200: jsonOrCsv('The cities that use Mamori, by municipality code', z.array(city)),
				...problems(400)
			}
		}),
		async (c) => {
			const { prefecture } = c.req.valid('query');
			const rows = (await listTenants({ core: c.get('core') }))
				// A suspended city shows nothing (auth/policy.ts), nor that it subscribes.
				.filter((t) => t.status === 'active' && (!prefecture || t.prefectureCode === prefecture))
				.map((t) => ({
					slug: t.slug,
					municipalityCode: t.municipalityCode,
					name: t.name,
					prefectureCode: t.prefectureCode,
					prefectureName: t.prefectureName,
					residentPage: t.residentPage
				}));
			if (wantsCsv(c))
				return csvResponse(
					c,
					'cities',
					['slug', 'municipality_code', 'name', 'prefecture_code', 'prefecture_name', 'resident_page'],
					rows.map((r) => [r.slug, r.municipalityCode, r.name, r.prefectureCode, r.prefectureName, r.residentPage])
				);
			return c.json({ data: rows }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/plan',
			tags: ['public'],
			summary: '公開された計画と進捗 · A city’s published plan and progress',
			description:
				'What the city shows its residents, and only when it does (its resident page): the plan, its areas, initiatives and KPIs, with progress in the fiscal years it has published. A city that shows nothing is answered as one that does not exist (404). CSV: one row per initiative, with its records of the year.',
			middleware: [requires('plan.public', { tenant: 'slug' })],
			request: { params: cityLookup, query: withFormat(fiscalYearQuery) },
			responses: {
				200: jsonOrCsv('The published plan, its progress in the year shown, and the years published', publishedPlan),
				...problems(400, 404)
			}
		}),
		async (c) => {
			const tenant = c.get('tenant')!;
			const { fiscalYear } = c.req.valid('query');
			const plan = await readPublishedPlan({ ctx: tenantContext(c), input: { fiscalYear } });
			// Like the resident page: a reader may keep it a minute; never a shared cache (its admin may close it).
			const headers = { 'cache-control': 'private, max-age=60' };
			if (wantsCsv(c))
				return csvResponse(
					c,
					`${tenant.slug}-plan-${plan.fiscalYear ?? 'unpublished'}`,
					...publishedPlanCsv(plan),
					headers
				);
			const city = {
				slug: tenant.slug,
				name: tenant.name,
				municipalityCode: tenant.municipalityCode,
				prefectureName: tenant.prefectureName
			};
			return c.json({ data: { city, ...plan } }, 200, headers);
		}
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/overview',
			tags: ['city'],
			summary: '計画の一覧（職員） · The plan overview, for the city’s members',
			security: [{ bearer: [] }],
			middleware: [requires('plan.read', { tenant: 'slug' })],
			request: { params: cityLookup, query: overviewFilters },
			responses: {
				200: jsonOnly(
					'The plan’s tree and initiatives, drafts included',
					z.looseObject({ city: z.string(), total: z.number() })
				),
				...problems(400, 403, 404)
			}
		}),
		async (c) => {
			// The service parses its input itself (the same schema as the route's), as behind a form.
			const overview = await readPlanOverview({ ctx: tenantContext(c), input: c.req.query() });
			return c.json({ data: { city: c.get('tenant')!.name, ...overview } }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/history',
			tags: ['city'],
			summary: '変更履歴（職員） · The history of changes, for the city’s members',
			security: [{ bearer: [] }],
			middleware: [requires('plan.read', { tenant: 'slug' })],
			request: { params: cityLookup, query: historyQuery },
			responses: {
				200: jsonOnly('Changes, newest first', z.array(z.record(z.string(), z.unknown()))),
				...problems(400, 403, 404)
			}
		}),
		async (c) => {
			const history = await listHistory({ ctx: tenantContext(c), input: c.req.query() });
			return c.json({ data: history }, 200);
		}
	);
