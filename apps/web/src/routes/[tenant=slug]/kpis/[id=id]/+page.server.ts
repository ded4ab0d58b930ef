import { fieldErrors, kpiForm, kpiValueForm } from '@mamori/services/domain';
import { listHistory, readKpi, setKpiValue, updateKpi } from '@mamori/services';
import { fail, isActionFailure } from '@sveltejs/kit';
import { canEdit, runWrite, sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { update: 'plan.edit', setValue: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = tenantContext(locals);
	const [kpi, history, shared] = await Promise.all([
		readKpi({ ctx, input: { id: params.id } }),
		listHistory({ ctx, input: { entity: 'indicator', entityId: params.id, limit: 10 } }),
		sharedCodes(locals)
	]);
	return { kpi, history, indicators: shared.indicators, canEdit: canEdit(locals, 'all') };
};

export const actions: Actions = {
	update: async ({ locals, params, request }) => {
		const values = Object.fromEntries(await request.formData());
		const parsed = kpiForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'kpi', errors: fieldErrors(parsed.error), values });
		const { indicatorCodes } = await sharedCodes(locals);
		const result = await runWrite('kpi', values, () =>
			updateKpi({ ctx: tenantContext(locals), input: { ...parsed.data, id: params.id }, indicatorCodes })
		);
		return isActionFailure(result) ? result : { form: 'kpi', saved: true };
	},
	setValue: async ({ locals, params, request }) => {
		const data = await request.formData();
		const values = {
			periodKind: data.get('periodKind'),
			periodYear: data.get('periodYear'),
			value: data.get('value'),
			status: data.get('status'),
			note: data.get('note')
		};
		const parsed = kpiValueForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'value', errors: fieldErrors(parsed.error), values });
		const result = await runWrite('value', values, () =>
			setKpiValue({ ctx: tenantContext(locals), input: { ...parsed.data, indicatorId: params.id } })
		);
		return isActionFailure(result) ? result : { form: 'value', saved: true };
	}
};
