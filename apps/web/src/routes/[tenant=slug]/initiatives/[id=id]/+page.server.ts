import {
	addYearlyRecord,
	deleteInitiative,
	listHistory,
	moveInitiative,
	readInitiative,
	restoreInitiative,
	updateInitiative
} from '@mamori/services';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { update: 'plan.edit', addRecord: 'plan.edit', delete: 'plan.edit', restore: 'plan.edit', move: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [detail, shared, history] = await Promise.all([
			readInitiative({ ctx, input: { id: params.id } }),
			ctx.shared(),
			listHistory({ ctx, input: { entity: 'initiative', entityId: params.id, limit: 10 } })
		]);
		return {
			...detail,
			categories: shared.taxonomy.categories,
			indicators: shared.indicators,
			history,
			canEdit: canEdit(
				locals,
				detail.departments.map((d) => d.id)
			)
		};
	});

const lists = ['departmentIds', 'categoryCodes'];

export const actions: Actions = {
	update: (event) =>
		formAction(
			event,
			'edit',
			async (values) => {
				await updateInitiative({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
			},
			{ lists }
		),

	addRecord: (event) =>
		formAction(event, 'record', async (values) => {
			const metricLabel = String(values.metricLabel ?? '').trim();
			const input = {
				...values,
				initiativeId: event.params.id,
				metrics: metricLabel
					? [
							{
								label: metricLabel,
								value: values.metricValue,
								unit: values.metricUnit,
								indicatorCode: values.metricIndicator
							}
						]
					: []
			};
			await addYearlyRecord({ ctx: tenantContext(event.locals), input });
		}),

	delete: (event) =>
		formAction(event, 'delete', async (values) => {
			await deleteInitiative({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),

	restore: (event) =>
		formAction(event, 'restore', async () => {
			await restoreInitiative({ ctx: tenantContext(event.locals), input: { id: event.params.id } });
		}),

	move: (event) =>
		formAction(event, 'move', async (values) => {
			await moveInitiative({
				ctx: tenantContext(event.locals),
				input: { ...values, id: event.params.id, direction: values.direction === 'up' ? 'up' : 'down' }
			});
		})
};
