import { openCore, RoundTrips } from '@mamori/db';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/**
 * Opens the core database for the request, counting its round trips: outside production the
 * answer says how many, in how many waves, as Server-Timing (as the web app's; `npm run bench`
 * reads it).
 */
export function database() {
	return createMiddleware<AppEnv>(async function database(c, next) {
		const roundTrips = new RoundTrips();
		c.set(
			'core',
			openCore({ url: c.env.CORE_DATABASE_URL, authToken: c.env.CORE_DATABASE_AUTH_TOKEN, meter: roundTrips })
		);
		await next();
		if (c.env.MAMORI_ENV !== 'production') c.res.headers.append('server-timing', roundTrips.toServerTiming());
	});
}
