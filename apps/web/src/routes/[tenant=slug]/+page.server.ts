import { readPlanSummary } from '@mamori/db/services';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const tenant = locals.tenant!;
	if (tenant.status === 'suspended') return { tenant, plan: null };
	return { tenant, plan: await readPlanSummary({ db: locals.tenantDb! }) };
};
