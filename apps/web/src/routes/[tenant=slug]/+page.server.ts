import { readPlanOverview, type OverviewFilters } from '@mamori/services';
import { canEdit, sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { tenant } = await parent();
	if (tenant.status === 'suspended')
		return { overview: null, categories: [], filters: {} as OverviewFilters, canEdit: false };
	const year = Number(url.searchParams.get('year'));
	const filters: OverviewFilters = {
		departmentId: url.searchParams.get('department') || undefined,
		category: url.searchParams.get('category') || undefined,
		fiscalYear: Number.isInteger(year) && year > 0 ? year : undefined,
		q: url.searchParams.get('q')?.slice(0, 100) || undefined
	};
	const [overview, shared] = await Promise.all([
		readPlanOverview({ ctx: tenantContext(locals), input: filters }),
		sharedCodes(locals)
	]);
	return { overview, categories: shared.taxonomy.categories, filters, canEdit: canEdit(locals) };
};
