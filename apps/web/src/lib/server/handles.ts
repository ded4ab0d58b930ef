// The cross-cutting steps of every request, in order: locale, database, tenant, headers.
import { isUnreachable } from '@mamori/db';
import { findTenantBySlug } from '@mamori/db/services';
import type { Handle } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n';
import { coreDatabase, tenantDatabase } from './db.ts';
import { platformEnv } from './platform.ts';

export const handleLocale: Handle = async ({ event, resolve }) => {
	const asked = event.url.searchParams.get('lang');
	if (isLocale(asked)) event.cookies.set('lang', asked, { path: '/', sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 });
	const stored = event.cookies.get('lang');
	event.locals.locale = isLocale(asked) ? asked : isLocale(stored) ? stored : 'ja';
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale) });
};

export const handleDatabase: Handle = async ({ event, resolve }) => {
	event.locals.core = coreDatabase(platformEnv(event.platform));
	const response = await resolve(event);
	// A database that cannot be reached is a temporary outage, not a bug: say so with 503.
	if (event.locals.databaseUnavailable && response.status >= 500) {
		const headers = new Headers(response.headers);
		headers.set('retry-after', '30');
		return new Response(response.body, { status: 503, headers });
	}
	return response;
};

/**
 * Resolves /{tenant}/… to the city's directory row and a handle on its own database. It does not
 * answer by itself: the [tenant] layout turns a missing or unreachable tenant into the error page.
 */
export const handleTenant: Handle = async ({ event, resolve }) => {
	const slug = event.params.tenant;
	if (slug) {
		try {
			const tenant = await findTenantBySlug({ core: event.locals.core, slug });
			if (tenant) {
				event.locals.tenant = {
					id: tenant.id,
					slug: tenant.slug,
					name: tenant.name,
					prefectureName: tenant.prefectureName,
					status: tenant.status
				};
				event.locals.tenantDb = tenantDatabase(platformEnv(event.platform), tenant);
			}
		} catch (e) {
			if (!isUnreachable(e)) throw e;
			console.error('core database unreachable', e);
			event.locals.databaseUnavailable = true;
		}
	}
	return resolve(event);
};

export const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	return response;
};
