// What every request needs before its page runs, in one round trip to the core database: the
// session with everything the authoriser needs about its user, the city the URL names, and the
// stamp of the shared codes (so a cached taxonomy needs no second trip). The web app's hook and
// the API's middleware both call it; the API also accepts a city's API token in place of a session.
import type { CoreDb } from '@mamori/db';
import { sessionOf, sessionQueries, type ValidSession } from './auth/session.ts';
import { parseToken } from './auth/tokens.ts';
import { apiTokenOf, apiTokenQuery, parseApiToken, type ValidApiToken } from './api-tokens/api-tokens.ts';
import { sharedStampQuery } from './taxonomy.ts';
import { tenantBySlugQuery, type TenantRow } from './tenants/tenants.ts';

export interface RequestContext {
	/** null: no token, or one that is malformed, unknown, wrong or expired (then deleted). */
	session: ValidSession | null;
	/** The API token (`mamori_…`) when `apiTokens` allowed one; null: none, or not valid. */
	apiToken: ValidApiToken | null;
	/** The city at the slug asked for; undefined: none asked, or none there. */
	tenant: TenantRow | undefined;
	/** The shared codes' stamp (sharedCodesAt); undefined when nothing was read. */
	sharedStamp: string | undefined;
}

/**
 * One core batch: the session of `token` (when it parses), the city at `slug` (when given), the
 * shared codes' stamp. Nothing is read when there is neither. Expiring or refreshing a session
 * writes afterwards, as validateSessionToken does (at most hourly).
 */
export async function readRequestContext({
	core,
	token,
	slug,
	apiTokens = false,
	now = Date.now()
}: {
	core: CoreDb;
	token: string | null | undefined;
	slug: string | undefined;
	/** The API: a `mamori_…` token is a city's API token (the web app's cookie is only ever a session). */
	apiTokens?: boolean;
	now?: number;
}): Promise<RequestContext> {
	const apiToken = apiTokens ? parseApiToken(token) : null;
	if (apiToken) {
		const [tokenRows, tenantRows, stampRows] = await core.batch([
			apiTokenQuery(core, apiToken.id),
			tenantBySlugQuery(core, slug ?? ''),
			sharedStampQuery(core)
		]);
		return {
			session: null,
			apiToken: await apiTokenOf(core, apiToken.secret, tokenRows[0], now),
			tenant: slug ? (tenantRows[0] as TenantRow | undefined) : undefined,
			sharedStamp: stampRows[0]?.stamp
		};
	}
	const parsed = parseToken(token);
	if (!parsed && !slug) return { session: null, apiToken: null, tenant: undefined, sharedStamp: undefined };
	// An absent part is asked with an id no row has: the batch keeps one shape.
	const [sessionRows, memberRows, officialRows, tenantRows, stampRows] = await core.batch([
		...sessionQueries(core, parsed?.id ?? ''),
		tenantBySlugQuery(core, slug ?? ''),
		sharedStampQuery(core)
	]);
	const session = parsed ? await sessionOf(core, parsed.secret, [sessionRows, memberRows, officialRows], now) : null;
	return {
		session,
		apiToken: null,
		tenant: slug ? (tenantRows[0] as TenantRow | undefined) : undefined,
		sharedStamp: stampRows[0]?.stamp
	};
}
