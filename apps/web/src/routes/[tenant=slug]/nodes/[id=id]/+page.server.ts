import { createInitiative, createNode, deleteNode, moveNode, readNode, updateNode } from '@mamori/services';
import { redirect } from '@sveltejs/kit';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: {
		update: 'plan.edit',
		addInitiative: 'plan.edit',
		addChild: 'plan.edit',
		move: 'plan.edit',
		delete: 'plan.edit'
	}
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [node, shared] = await Promise.all([readNode({ ctx, input: { id: params.id } }), ctx.shared()]);
		return { ...node, categories: shared.taxonomy.categories, canEdit: canEdit(locals, 'all') };
	});

export const actions: Actions = {
	update: (event) =>
		formAction(event, 'node', async (values) => {
			await updateNode({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),
	addInitiative: async (event) => {
		const result = await formAction(
			event,
			'initiative',
			(values) =>
				createInitiative({
					ctx: tenantContext(event.locals),
					input: { ...values, nodeId: event.params.id, departmentIds: [] }
				}),
			{ lists: ['categoryCodes'] }
		);
		if ('id' in result) redirect(303, `/${event.params.tenant}/initiatives/${result.id}`);
		return result;
	},
	addChild: async (event) => {
		const result = await formAction(event, 'child', (values) =>
			createNode({ ctx: tenantContext(event.locals), input: { ...values, parentId: event.params.id } })
		);
		if ('id' in result) redirect(303, `/${event.params.tenant}/nodes/${result.id}`);
		return result;
	},
	move: (event) =>
		formAction(event, 'move', async (values) => {
			await moveNode({
				ctx: tenantContext(event.locals),
				input: { id: event.params.id, direction: values.direction === 'up' ? 'up' : 'down' }
			});
		}),
	delete: async (event) => {
		const result = await formAction(event, 'node', async (values) => {
			await deleteNode({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		});
		if ('saved' in result) redirect(303, `/${event.params.tenant}`);
		return result;
	}
};
