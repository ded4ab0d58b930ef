// Every endpoint declares what it needs: `.get('/path', requires('plan.read', { tenant: 'slug' }), handler)`.
// `requires` asks the one authoriser (@mamori/services/auth policy); `accessDeclared` (mounted on the
// whole app) refuses any matched endpoint that declares nothing, before its handler runs.
import { openTenant } from '@mamori/db';
import { AccessDeniedError, authorize, type Action } from '@mamori/services/auth';
import { NotFoundError, readRequestContext } from '@mamori/services';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env.ts';
import { problemResponse } from '../problem.ts';

export const ACCESS = Symbol.for('mamori.access');

type Marked = MiddlewareHandler<AppEnv> & { [ACCESS]?: Action };

/** The action an endpoint's middleware declares, if it is a `requires` middleware. */
export function declaredAccess(handler: unknown): Action | undefined {
	return (handler as Marked | undefined)?.[ACCESS];
}

/** The `Bearer` token: a session (the same sessions as the web app) or a city's API token (`mamori_…`). */
const bearerToken = (c: Context<AppEnv>) => c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

export function requires(action: Action, options: { tenant?: string } = {}): MiddlewareHandler<AppEnv> {
	const middleware: Marked = createMiddleware<AppEnv>(async function requires(c, next) {
		// Who asks, and the city, in one round trip, as the web app reads them: a session, or a
		// city's API token, which acts as a viewer (read) or an editor (write) of its city only.
		const {
			session,
			apiToken,
			tenant: row
		} = await readRequestContext({
			core: c.get('core'),
			token: action === 'public' ? undefined : bearerToken(c),
			slug: options.tenant ? (c.req.param(options.tenant) ?? '') : undefined,
			apiTokens: true
		});
		const principal = session?.principal ?? apiToken?.principal ?? null;
		c.set('principal', principal);
		if (options.tenant) {
			if (!row) throw new NotFoundError('city');
			const { databaseUrl, ...tenant } = row;
			authorize(principal, action, { tenant });
			c.set('tenant', tenant);
			c.set('tenantDb', openTenant({ url: databaseUrl, authToken: c.env.TENANT_DATABASE_AUTH_TOKEN }));
		} else {
			authorize(principal, action, { prefectureCode: c.req.param('prefecture') });
		}
		await next();
	});
	middleware[ACCESS] = action;
	return middleware;
}

/** Refuses a matched endpoint whose route has no `requires(…)`: undeclared is forbidden. */
export function accessDeclared(): MiddlewareHandler<AppEnv> {
	return createMiddleware<AppEnv>(async function accessDeclared(c, next) {
		const routes = matchedRoutes(c);
		const endpoints = routes.filter((r) => r.method !== 'ALL');
		if (endpoints.length > 0 && !endpoints.some((r) => declaredAccess(r.handler))) {
			console.error(`${c.req.method} ${c.req.path} declares no access: refused`);
			return problemResponse(c, new AccessDeniedError(c.req.path, 'forbidden'));
		}
		await next();
	});
}
