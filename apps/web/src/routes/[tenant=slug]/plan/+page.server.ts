import { createNode, createPlan, readPlan, updatePlan } from '@mamori/services';
import { can } from '@mamori/services/auth';
import { setResidentPage } from '@mamori/services/resident';
import { redirect } from '@sveltejs/kit';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext, tenantOf } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

// The plan itself: a new city creates it here; later its title, period and level names change
// here, and its admin opens or closes its page for residents (/shimin/{slug}).
export const _access = {
	load: 'plan.read',
	actions: { create: 'plan.edit', update: 'plan.edit', addArea: 'plan.edit', residentPage: 'plan.publish' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const tenant = tenantOf(locals);
		return {
			plan: await readPlan({ ctx: tenantContext(locals) }),
			canEdit: canEdit(locals, 'all'),
			// As the request found it: after the action below, its answer says what holds now.
			residentPage: tenant.residentPage,
			canOpenResidentPage: can(locals.principal, 'plan.publish', { tenant })
		};
	});

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
	},
	residentPage: (event) =>
		formAction(event, 'residentPage', (values) => setResidentPage({ ctx: tenantContext(event.locals), input: values }))
};
