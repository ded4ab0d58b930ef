import { readPlanSummary } from '@mamori/db/services';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const { tenant } = await parent();
	if (tenant.status === 'suspended') return { plan: null };
	return { plan: await readPlanSummary({ db: locals.tenantDb! }) };
};
