import { fieldErrors, newKpiForm } from '@mamori/services/domain';
import { createKpi, listKpis, readPlanOverview } from '@mamori/services';
import { fail, isActionFailure, redirect } from '@sveltejs/kit';
import { canEdit, runWrite, sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'plan.read', actions: { create: 'plan.edit' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = tenantContext(locals);
	const editable = canEdit(locals, 'all');
	const [kpis, shared, overview] = await Promise.all([
		listKpis({ ctx }),
		sharedCodes(locals),
		editable ? readPlanOverview({ ctx, input: {} }) : null
	]);
	return { kpis, indicators: shared.indicators, nodes: overview?.nodes ?? [], canEdit: editable };
};

export const actions: Actions = {
	create: async ({ locals, params, request }) => {
		const values = Object.fromEntries(await request.formData());
		const parsed = newKpiForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'create', errors: fieldErrors(parsed.error), values });
		const { indicatorCodes } = await sharedCodes(locals);
		const result = await runWrite('create', values, () =>
			createKpi({ ctx: tenantContext(locals), input: parsed.data, indicatorCodes })
		);
		if (isActionFailure(result)) return result;
		redirect(303, `/${params.tenant}/kpis/${(result as { id: string }).id}`);
	}
};
