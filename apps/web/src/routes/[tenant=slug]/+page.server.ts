import { readPlanOverview, type OverviewFilters } from '@mamori/services';
import { loading } from '$lib/server/errors';
import { canEdit, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { tenant } = await parent();
	if (tenant.status === 'suspended')
		return { overview: null, categories: [], filters: {} as OverviewFilters, canEdit: false };
	const q = url.searchParams;
	const year = Number(q.get('year'));
	const filters: OverviewFilters = {
		departmentId: q.get('department') || undefined,
		category: q.get('category') || undefined,
		fiscalYear: Number.isInteger(year) && year > 0 ? year : undefined,
		q: q.get('q')?.slice(0, 100) || undefined,
		review: q.get('review') === '1'
	};
	return loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [overview, shared] = await Promise.all([readPlanOverview({ ctx, input: filters }), ctx.shared()]);
		return {
			overview,
			categories: shared.taxonomy.categories,
			filters,
			canEdit: canEdit(locals)
		};
	});
};
