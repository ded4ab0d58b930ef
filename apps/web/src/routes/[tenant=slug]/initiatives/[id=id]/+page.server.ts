import { fieldErrors, initiativeForm, recordForm, version } from '@mamori/services/domain';
import {
	addYearlyRecord,
	deleteInitiative,
	listHistory,
	moveInitiative,
	readInitiative,
	restoreInitiative,
	updateInitiative
} from '@mamori/services';
import { fail, isActionFailure } from '@sveltejs/kit';
import { canEdit, runWrite, sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { update: 'plan.edit', addRecord: 'plan.edit', delete: 'plan.edit', restore: 'plan.edit', move: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = tenantContext(locals);
	const [detail, shared, history] = await Promise.all([
		readInitiative({ ctx, input: { id: params.id } }),
		sharedCodes(locals),
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
};

function formValues(data: FormData) {
	return {
		version: data.get('version'),
		title: data.get('title'),
		description: data.get('description'),
		planRef: data.get('planRef'),
		departmentIds: data.getAll('departmentIds').map(String),
		categoryCodes: data.getAll('categoryCodes').map(String)
	};
}

export const actions: Actions = {
	update: async ({ locals, params, request }) => {
		const values = formValues(await request.formData());
		const parsed = initiativeForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'edit', errors: fieldErrors(parsed.error), values });
		const ctx = tenantContext(locals);
		const { taxonomyCodes } = await sharedCodes(locals);
		const result = await runWrite('edit', values, () =>
			updateInitiative({ ctx, input: { ...parsed.data, id: params.id }, taxonomyCodes })
		);
		return isActionFailure(result) ? result : { form: 'edit', saved: true };
	},

	addRecord: async ({ locals, params, request }) => {
		const data = await request.formData();
		const metricLabel = String(data.get('metricLabel') ?? '').trim();
		const values = {
			fiscalYear: data.get('fiscalYear'),
			phase: data.get('phase'),
			departmentId: data.get('departmentId'),
			text: data.get('text'),
			metrics: metricLabel
				? [
						{
							label: metricLabel,
							value: data.get('metricValue'),
							unit: data.get('metricUnit'),
							indicatorCode: data.get('metricIndicator')
						}
					]
				: []
		};
		const parsed = recordForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'record', errors: fieldErrors(parsed.error), values });
		const ctx = tenantContext(locals);
		const { indicatorCodes } = await sharedCodes(locals);
		const result = await runWrite('record', values, () =>
			addYearlyRecord({ ctx, input: { ...parsed.data, initiativeId: params.id }, indicatorCodes })
		);
		return isActionFailure(result) ? result : { form: 'record', saved: true };
	},

	delete: async ({ locals, params, request }) => {
		const v = version.safeParse((await request.formData()).get('version'));
		if (!v.success) return fail(400, { form: 'delete', errors: { version: 'invalid' } });
		const result = await runWrite('delete', {}, () =>
			deleteInitiative({ ctx: tenantContext(locals), input: { id: params.id, version: v.data } })
		);
		return isActionFailure(result) ? result : { form: 'delete', saved: true };
	},

	restore: async ({ locals, params }) => {
		await runWrite('restore', {}, () => restoreInitiative({ ctx: tenantContext(locals), input: { id: params.id } }));
		return { form: 'restore', saved: true };
	},

	move: async ({ locals, params, request }) => {
		const data = await request.formData();
		const v = version.safeParse(data.get('version'));
		const direction = data.get('direction') === 'up' ? 'up' : 'down';
		if (!v.success) return fail(400, { form: 'move', errors: { version: 'invalid' } });
		const result = await runWrite('move', {}, () =>
			moveInitiative({ ctx: tenantContext(locals), input: { id: params.id, version: v.data, direction } })
		);
		return isActionFailure(result) ? result : { form: 'move', saved: true };
	}
};
