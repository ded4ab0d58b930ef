import { createRoute, z } from '@hono/zod-openapi';
import { municipalityLookup } from '@mamori/services/domain';
import { findMunicipality, NotFoundError } from '@mamori/services';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';

const municipality = z
	.object({
		code: z.string().openapi({ example: '012131' }),
		name: z.string().openapi({ example: '苫小牧市' }),
		kana: z.string().nullable(),
		prefectureCode: z.string(),
		prefectureName: z.string(),
		population: z.number().int().nullable(),
		populationDate: z.string().nullable(),
		populationKind: z.string().nullable()
	})
	.openapi('Municipality');

export const municipalities = createApi().openapi(
	createRoute({
		method: 'get',
		path: '/{code}',
		tags: ['public'],
		summary: '市区町村（団体コード） · A municipality by its code',
		middleware: [requires('public')],
		request: { params: municipalityLookup },
		responses: {
			200: {
				description: 'The municipality, with its latest population',
				content: { 'application/json': { schema: z.object({ data: municipality }) } }
			},
			...problems(400, 404)
		}
	}),
	async (c) => {
		const municipality = await findMunicipality({ core: c.get('core'), code: c.req.param('code') });
		if (!municipality) throw new NotFoundError('municipality');
		return c.json({ data: municipality }, 200);
	}
);
