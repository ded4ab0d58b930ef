import { createRoute, z } from '@hono/zod-openapi';
import { listTaxonomy, NotFoundError } from '@mamori/services';
import { taxonomyVersionLookup } from '@mamori/services/domain';
import type { Context } from 'hono';
import { csvResponse, jsonOrCsv, wantsCsv, formatQuery } from '../formats.ts';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';

const category = z
	.object({
		code: z.string().openapi({ example: 'fraud.special' }),
		parentCode: z.string().nullable(),
		nameJa: z.string(),
		nameEn: z.string(),
		definition: z.string(),
		definitionEn: z.string()
	})
	.openapi('TaxonomyCategory');

const taxonomyVersion = z
	.object({
		version: z.number().int().nullable(),
		publishedAt: z.string().nullable(),
		inForce: z.boolean(),
		categories: z.array(category),
		versions: z.array(z.object({ version: z.number().int(), publishedAt: z.string(), inForce: z.boolean() }))
	})
	.openapi('TaxonomyVersion');

const CACHE = { 'cache-control': 'public, max-age=300' };

async function answer(c: Context, version?: number) {
	const taxonomy = await listTaxonomy({ core: c.get('core'), version });
	if (taxonomy.version === null) throw new NotFoundError('taxonomy version');
	if (wantsCsv(c))
		return csvResponse(
			c,
			`taxonomy-v${taxonomy.version}`,
			['version', 'code', 'parent_code', 'name_ja', 'name_en', 'definition', 'definition_en'],
			taxonomy.categories.map((t) => [
				taxonomy.version,
				t.code,
				t.parentCode,
				t.nameJa,
				t.nameEn,
				t.definition,
				t.definitionEn
			]),
			CACHE
		);
	return c.json({ data: taxonomy }, 200, CACHE);
}

/** The shared taxonomy (共通分類): the version in force, or any published version. */
export const taxonomy = createApi()
	.openapi(
		createRoute({
			method: 'get',
			path: '/',
			tags: ['public'],
			summary: '共通分類（現行版） · The shared taxonomy in force',
			middleware: [requires('public')],
			request: { query: formatQuery },
			responses: {
				200: jsonOrCsv('The version in force, its categories, and every published version', taxonomyVersion),
				...problems(400, 404)
			}
		}),
		(c) => answer(c)
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{version}',
			tags: ['public'],
			summary: '共通分類（版ごと） · A published version of the taxonomy',
			middleware: [requires('public')],
			request: { params: taxonomyVersionLookup, query: formatQuery },
			responses: {
				200: jsonOrCsv('That version and its categories, in its own words', taxonomyVersion),
				...problems(400, 404)
			}
		}),
		(c) => answer(c, c.req.valid('param').version)
	);
