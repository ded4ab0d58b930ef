import {
	deleteKpiValue,
	listHistory,
	readKpi,
	restoreVersion,
	setKpiValue,
	updateKpi,
	updateKpiValue
} from '@mamori/services';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: {
		update: 'plan.edit',
		setValue: 'plan.edit',
		updateValue: 'plan.edit',
		deleteValue: 'plan.edit',
		restoreVersion: 'plan.edit'
	}
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [kpi, history, shared] = await Promise.all([
			readKpi({ ctx, input: { id: params.id } }),
			listHistory({ ctx, input: { entity: 'indicator', entityId: params.id, limit: 10 } }),
			ctx.shared()
		]);
		return { kpi, history, indicators: shared.indicators, canEdit: canEdit(locals, 'all') };
	});

/** The form of one value (`value-<id>`); a value is always named with the KPI of the URL. */
const valueForm = (values: Record<string, unknown>) => `value-${String(values.id ?? '')}`;

export const actions: Actions = {
	update: (event) =>
		formAction(event, 'kpi', async (values) => {
			await updateKpi({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),
	setValue: (event) =>
		formAction(event, 'value', async (values) => {
			await setKpiValue({ ctx: tenantContext(event.locals), input: { ...values, indicatorId: event.params.id } });
		}),
	updateValue: (event) =>
		formAction(event, valueForm, async (values) => {
			await updateKpiValue({ ctx: tenantContext(event.locals), input: { ...values, indicatorId: event.params.id } });
			return { did: 'updateValue' };
		}),
	deleteValue: (event) =>
		formAction(event, valueForm, async (values) => {
			await deleteKpiValue({ ctx: tenantContext(event.locals), input: { ...values, indicatorId: event.params.id } });
			return { did: 'deleteValue' };
		}),
	/** Back to the version an entry of the KPI's history replaced. */
	restoreVersion: (event) =>
		formAction(event, 'history', async (values) => {
			await restoreVersion({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		})
};
