import { findTenantBySlug } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import { refuse } from '$lib/server/errors';
import { safeNext } from '$lib/server/session';
import type { PageServerLoad } from './$types';

export const _access = { load: 'public' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

// What the hooks show when a request is refused: why (403), and what to do; an unknown city (404)
// and an outage (503) are the error page.
export const load: PageServerLoad = async ({ locals, url }) => {
	const asked = url.searchParams.get('reason');
	if (asked === 'not_found') refuse(locals.locale, 404, 'error_not_found');
	if (asked === 'unavailable') refuse(locals.locale, 503, 'error_db_unavailable', 'DB_UNAVAILABLE');
	const reason = asked === 'unauthenticated' || asked === 'suspended' ? asked : 'forbidden';
	const slug = url.searchParams.get('city');
	const city =
		reason === 'suspended' && slug && !locals.databaseUnavailable
			? await findTenantBySlug({ core: locals.core, slug })
			: undefined;
	return {
		reason,
		next: safeNext(url.searchParams.get('next')),
		city: city ? { name: city.name, prefectureName: city.prefectureName } : null,
		signedIn: locals.principal !== null
	};
};
