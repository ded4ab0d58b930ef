import { listTenants } from '@mamori/db/services';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const tenants = await listTenants({ core: locals.core });
	return {
		cities: tenants.map((t) => ({
			slug: t.slug,
			name: t.name,
			prefectureName: t.prefectureName,
			code: t.municipalityCode
		}))
	};
};
