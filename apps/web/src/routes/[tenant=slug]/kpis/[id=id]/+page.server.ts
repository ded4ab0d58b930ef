import { fieldErrors, kpiValueForm } from '@mamori/db/domain';
import { listHistory, readKpi, setKpiValue } from '@mamori/db/services';
import { fail, isActionFailure } from '@sveltejs/kit';
import { canEdit, runWrite, tenantContext } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = tenantContext(locals);
	const [kpi, history] = await Promise.all([
		readKpi({ ctx, input: { id: params.id } }),
		listHistory({ ctx, input: { entity: 'indicator', entityId: params.id, limit: 10 } })
	]);
	return { kpi, history, canEdit: canEdit(locals) };
};

export const actions: Actions = {
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
