import { createNode, createPlan, readPlan, updatePlan } from '@mamori/services';
import { redirect } from '@sveltejs/kit';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

// The plan itself: a new city creates it here; later its title, period and level names change here.
export const _access = {
	load: 'plan.read',
	actions: { create: 'plan.edit', update: 'plan.edit', addArea: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => ({
		plan: await readPlan({ ctx: tenantContext(locals) }),
		canEdit: canEdit(locals, 'all')
	}));

export const actions: Actions = {
	create: async (event) => {
		const result = await formAction(event, 'plan', (values) =>
			createPlan({ ctx: tenantContext(event.locals), input: values })
		);
		if ('id' in result) redirect(303, `/${event.params.tenant}/plan?created=1`);
		return result;
	},
	update: (event) =>
		formAction(event, 'plan', async (values) => {
			await updatePlan({ ctx: tenantContext(event.locals), input: values });
		}),
	addArea: async (event) => {
		const result = await formAction(event, 'area', (values) =>
			createNode({ ctx: tenantContext(event.locals), input: { ...values, parentId: null } })
		);
		if ('id' in result) redirect(303, `/${event.params.tenant}/nodes/${result.id}`);
		return result;
	}
};
