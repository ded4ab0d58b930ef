import { can } from '@mamori/services/auth';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { LayoutAccess } from '$lib/server/access';
import type { LayoutServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies LayoutAccess;

// The boundary of a city's pages: the tenant was resolved by the hook, or the page says why not.
export const load: LayoutServerLoad = ({ locals }) => {
	if (locals.databaseUnavailable)
		error(503, { message: m.error_db_unavailable({}, { locale: locals.locale }), code: 'DB_UNAVAILABLE' });
	if (!locals.tenant) error(404, { message: m.error_not_found({}, { locale: locals.locale }) });
	return {
		tenant: locals.tenant,
		canManageMembers: can(locals.principal, 'members.manage', { tenant: locals.tenant })
	};
};
