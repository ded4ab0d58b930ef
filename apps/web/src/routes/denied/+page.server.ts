import { findTenantBySlug } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import { safeNext } from '$lib/server/session';
import type { PageServerLoad } from './$types';

export const _access = { load: 'public' } satisfies PageAccess;

// What handleAuth shows (with status 403) when a request is refused: why, and what to do.
export const load: PageServerLoad = async ({ locals, url }) => {
	const asked = url.searchParams.get('reason');
	const reason = asked === 'unauthenticated' || asked === 'suspended' || asked === 'unavailable' ? asked : 'forbidden';
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
