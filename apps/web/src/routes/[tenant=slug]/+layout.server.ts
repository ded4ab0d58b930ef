import { can } from '@mamori/services/auth';
import type { LayoutAccess } from '$lib/server/access';
import { tenantOf } from '$lib/server/workspace';
import type { LayoutServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies LayoutAccess;

// handleContext resolved the city (or answered 404 or 503 itself): this only hands it to the pages.
export const load: LayoutServerLoad = ({ locals }) => {
	const tenant = tenantOf(locals);
	return {
		tenant,
		canManageMembers: can(locals.principal, 'members.manage', { tenant }),
		canExport: can(locals.principal, 'city.export', { tenant }),
		canEdit: can(locals.principal, 'plan.edit', { tenant })
	};
};
