import { listTenants } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'public' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals }) => {
	const tenants = await listTenants({ core: locals.core });
	const principal = locals.principal;
	return {
		mine: principal
			? {
					cities: principal.memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role })),
					prefectures: principal.prefectures,
					isOperator: principal.isOperator
				}
			: null,
		// The cities that show residents their plan (a closed or suspended one is not named here).
		residentPages: tenants
			.filter((t) => t.residentPage && t.status === 'active')
			.map((t) => ({ slug: t.slug, name: t.name, prefectureName: t.prefectureName })),
		cities: tenants.map((t) => ({
			slug: t.slug,
			name: t.name,
			prefectureName: t.prefectureName,
			code: t.municipalityCode
		}))
	};
};
