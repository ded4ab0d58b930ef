import { createKpi, listKpis, readPlanOverview } from '@mamori/services';
import { redirect } from '@sveltejs/kit';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'plan.read', actions: { create: 'plan.edit' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const editable = canEdit(locals, 'all');
		const [kpis, shared, overview] = await Promise.all([
			listKpis({ ctx }),
			ctx.shared(),
			editable ? readPlanOverview({ ctx, input: {} }) : null
		]);
		return { kpis, indicators: shared.indicators, nodes: overview?.nodes ?? [], canEdit: editable };
	});

export const actions: Actions = {
	create: async (event) => {
		const result = await formAction(event, 'create', (values) =>
			createKpi({ ctx: tenantContext(event.locals), input: values })
		);
		if ('id' in result) redirect(303, `/${event.params.tenant}/kpis/${result.id}`);
		return result;
	}
};
