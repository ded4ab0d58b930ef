import { createRoute, z } from '@hono/zod-openapi';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';

const account = z.object({
	email: z.string(),
	displayName: z.string(),
	operator: z.boolean(),
	cities: z.array(z.object({ slug: z.string(), name: z.string(), role: z.enum(['viewer', 'editor', 'admin']) })),
	prefectures: z.array(z.object({ code: z.string(), name: z.string() }))
});

/** The signed-in user (Bearer session token): who they are and where they may work. */
export const me = createApi().openapi(
	createRoute({
		method: 'get',
		path: '/',
		tags: ['account'],
		summary: '自分のアカウント · The signed-in user',
		security: [{ bearer: [] }],
		middleware: [requires('session')],
		responses: {
			200: {
				description: 'Who asks, and where they may work',
				content: { 'application/json': { schema: z.object({ data: account }) } }
			},
			...problems(403)
		}
	}),
	(c) => {
		const principal = c.get('principal')!;
		return c.json(
			{
				data: {
					email: principal.email,
					displayName: principal.displayName,
					operator: principal.isOperator,
					cities: principal.memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role })),
					prefectures: principal.prefectures
				}
			},
			200
		);
	}
);
