// The cross-cutting steps of every request, in order: admission, locale, database, session and
// tenant, authorisation, headers.
import { isUnreachable, RoundTrips } from '@mamori/db';
import { decide, type Denial } from '@mamori/services/auth';
import { readRequestContext, type RequestContext } from '@mamori/services';
import { error, type Handle, type RequestEvent } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { isUndeclared, requirements } from './access.ts';
import { admission, inFlightLimit } from './admission.ts';
import { translate, type MessageKey } from './i18n.ts';
import { coreDatabase, tenantDatabase } from './db.ts';
import { platformEnv } from './platform.ts';
import { withSecurityHeaders } from './headers.ts';
import { deleteSessionCookie, SESSION_COOKIE } from './session.ts';

/** One per isolate: the requests it works on at once (admission.ts). */
const admitted = admission();

/**
 * Lets the request in when the isolate has room (REQUESTS_IN_FLIGHT), before any database call,
 * so that a database deadline measures the database and not the queue of other requests. A
 * request that found the database failing lets everyone in for a while (a hung database answers
 * 503 within its deadline, not after a queue).
 */
export const handleAdmission: Handle = async ({ event, resolve }) => {
	// workerd cancels a request that waits on nothing it can see as its own (a promise another
	// request resolves is not), as hung, with a 500: a timer of its own keeps it waiting.
	const waiting = setInterval(() => {}, 1000);
	let leave: () => void;
	try {
		leave = await admitted.enter(inFlightLimit(event.platform?.env?.REQUESTS_IN_FLIGHT));
	} finally {
		clearInterval(waiting);
	}
	try {
		return await resolve(event);
	} finally {
		if (event.locals.databaseUnavailable) admitted.failing();
		leave();
	}
};

/**
 * Paraglide's middleware decides the language (?lang=, the `lang` cookie, Japanese: see
 * paraglide.config.ts) and keeps it for the request (AsyncLocalStorage), so message functions
 * called while rendering use it. An explicit ?lang= is remembered in the cookie for a year.
 */
export const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ locale }) => {
		const asked = event.url.searchParams.get('lang');
		if (isLocale(asked)) event.cookies.set(cookieName, asked, { path: '/', sameSite: 'lax', maxAge: cookieMaxAge });
		event.locals.locale = locale;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});

/**
 * Opens the core database for the request, counting its round trips (and the city database's):
 * outside production the answer says how many, in how many waves, as Server-Timing (the
 * round-trip budget test and `npm run bench` read it).
 */
export const handleDatabase: Handle = async ({ event, resolve }) => {
	const env = platformEnv(event.platform);
	event.locals.roundTrips = new RoundTrips();
	event.locals.core = coreDatabase(env, event.locals.roundTrips);
	let response = await resolve(event);
	// A database that cannot be reached is a temporary outage, not a bug: say so with 503.
	if (event.locals.databaseUnavailable && response.status >= 500) {
		const headers = new Headers(response.headers);
		headers.set('retry-after', '30');
		response = new Response(response.body, { status: 503, headers });
	}
	if (env.MAMORI_ENV !== 'production') {
		try {
			response.headers.append('server-timing', event.locals.roundTrips.toServerTiming());
		} catch {
			// an immutable response (a static asset, a fetched page): nothing to add
		}
	}
	return response;
};

/**
 * Who asks, and about which city, in one round trip to the core database (readRequestContext):
 * the session cookie resolves to the signed-in principal (memberships and offices included), and
 * /{tenant}/… to the city's directory row and its opened database handle, for every method.
 * A city that does not exist ends the request here with the 404 page; a core database that
 * cannot be read, with the 503 page (or, off a city, as anonymous: public pages still render).
 * No load or action runs before handleAuth has let the principal in.
 */
export const handleContext: Handle = async ({ event, resolve }) => {
	const { locals } = event;
	locals.principal = null;
	const token = event.cookies.get(SESSION_COOKIE);
	const slug = event.params.tenant;
	let found: RequestContext;
	try {
		found = await readRequestContext({ core: locals.core, token, slug });
	} catch (e) {
		if (!isUnreachable(e)) throw e;
		console.error('core database unreachable', e);
		locals.databaseUnavailable = true;
		return slug ? refuse(event, 'unavailable') : resolve(event);
	}
	const { session, tenant: row } = found;
	if (session) {
		locals.principal = session.principal;
		locals.session = { id: session.session.id, expiresAt: session.session.expiresAt };
	} else if (token) {
		deleteSessionCookie(event);
	}
	locals.sharedStamp = found.sharedStamp;
	if (!slug) return resolve(event);
	if (!row) return refuse(event, 'not_found');
	const { databaseUrl, ...tenant } = row; // where the database is stays out of page data
	locals.tenant = tenant;
	locals.tenantDb = tenantDatabase(platformEnv(event.platform), { databaseUrl }, locals.roundTrips);
	return resolve(event);
};

const DENIED_HEADER = 'x-mamori-denial';

/**
 * The one place where routes are authorised: the matched route's declaration (access.ts) is asked
 * of the one authoriser (@mamori/services/auth policy) before any load or action runs. A route that
 * declares nothing is refused.
 */
export const handleAuth: Handle = async ({ event, resolve }) => {
	const routeId = event.route.id;
	if (!routeId) return resolve(event); // no such route: SvelteKit answers 404 by itself
	const { locals } = event;
	const needed = await requirements(routeId, {
		method: event.request.method,
		url: event.url,
		acceptsHtml: (event.request.headers.get('accept') ?? '').includes('text/html')
	});
	if (needed === null) return resolve(event);
	if (isUndeclared(needed)) {
		console.error(`route ${routeId} declares no access for ${event.request.method}: refused`);
		return refuse(event, 'forbidden');
	}
	// Routes name the city they are about with [tenant], a prefecture with [prefecture].
	const params: Partial<Record<string, string>> = event.params;
	const target = { tenant: locals.tenant, prefectureCode: params.prefecture };
	for (const action of needed) {
		const decision = decide(locals.principal, action, target);
		// What is shown to no one (a city's closed page for residents) is answered as a city that does not exist.
		if (!decision.allowed) return refuse(event, decision.reason === 'hidden' ? 'not_found' : decision.reason);
	}
	return resolve(event);
};

/** Why a request is refused before any of its route code runs. */
type Refusal = Denial | 'not_found' | 'unavailable';

const refusals = {
	unauthenticated: { status: 403, key: 'denied_unauthenticated', code: 'UNAUTHENTICATED' },
	forbidden: { status: 403, key: 'error_forbidden', code: 'FORBIDDEN' },
	suspended: { status: 403, key: 'city_suspended', code: 'TENANT_SUSPENDED' },
	not_found: { status: 404, key: 'error_not_found', code: undefined },
	unavailable: { status: 503, key: 'error_db_unavailable', code: 'DB_UNAVAILABLE' }
} as const satisfies Record<Refusal, { status: number; key: MessageKey; code: App.Error['code'] }>;

/**
 * Ends the request with 403, 404 or 503. A browser gets a full page, rendered by /denied (sign-in
 * link, the suspended city's notice, or the error page for 404 and 503); client-side navigation
 * and enhanced forms get SvelteKit's JSON error shapes.
 */
async function refuse(event: RequestEvent, refusal: Refusal): Promise<Response> {
	// Without the core database nobody's session could be read: say that, not "sign in".
	const reason = event.locals.databaseUnavailable ? 'unavailable' : refusal;
	const { status, key, code } = refusals[reason];
	const body = { message: translate(event.locals.locale, key), ...(code ? { code } : {}) };
	const headers = new Headers({ 'cache-control': 'no-store', ...(status === 503 ? { 'retry-after': '30' } : {}) });
	if (event.isDataRequest) error(status, body);
	if (event.request.headers.get('x-sveltekit-action') === 'true')
		return Response.json({ type: 'error', error: body }, { status, headers });
	if (event.request.headers.has(DENIED_HEADER)) error(status, body); // never loop
	const query = new URLSearchParams({ reason, next: event.url.pathname + event.url.search });
	if (event.locals.tenant && reason !== 'not_found') query.set('city', event.locals.tenant.slug);
	const page = await event.fetch(`/denied?${query}`, { headers: { [DENIED_HEADER]: '1', accept: 'text/html' } });
	page.headers.forEach((value, key) => {
		if (!headers.has(key)) headers.set(key, value);
	});
	return new Response(page.body, { status, headers });
}

export const handleHeaders: Handle = async ({ event, resolve }) =>
	withSecurityHeaders(event.request, await resolve(event));
