import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

/** The signed-in user (Bearer session token): who they are and where they may work. */
export const me = new Hono<AppEnv>().get('/', requires('session'), (c) => {
	const principal = c.get('principal')!;
	return c.json({
		data: {
			email: principal.email,
			displayName: principal.displayName,
			operator: principal.isOperator,
			cities: principal.memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role })),
			prefectures: principal.prefectures
		}
	});
});
