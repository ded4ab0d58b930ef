import { isUnreachable, openCore } from '@mamori/db';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/** Opens the core database for the request; an unreachable database answers 503 in JSON. */
export function database() {
	return createMiddleware<AppEnv>(async function database(c, next) {
		c.set('core', openCore({ url: c.env.CORE_DATABASE_URL, authToken: c.env.CORE_DATABASE_AUTH_TOKEN }));
		try {
			await next();
		} catch (error) {
			if (!isUnreachable(error)) throw error;
			console.error('database unreachable', error);
			c.res = c.json(
				{
					error: {
						code: 'database_unavailable',
						message: 'データベースに接続できません。しばらくしてから再度お試しください。'
					}
				},
				503,
				{
					'retry-after': '30'
				}
			);
		}
	});
}
