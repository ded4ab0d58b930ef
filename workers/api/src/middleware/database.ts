import { openCore } from '@mamori/db';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/** Opens the core database for the request. */
export function database() {
	return createMiddleware<AppEnv>(async function database(c, next) {
		c.set('core', openCore({ url: c.env.CORE_DATABASE_URL, authToken: c.env.CORE_DATABASE_AUTH_TOKEN }));
		await next();
	});
}
