import {
	createInitiative,
	createNode,
	createStatistic,
	deleteNode,
	deleteStatistic,
	listNodeStatistics,
	moveNode,
	readNode,
	updateNode,
	updateStatistic
} from '@mamori/services';
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
		delete: 'plan.edit',
		addStatistic: 'plan.edit',
		updateStatistic: 'plan.edit',
		deleteStatistic: 'plan.edit'
	}
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		// The shared taxonomy and indicators name the categories and indicators the page shows.
		const editable = canEdit(locals, 'all');
		const ctx = tenantContext(locals);
		const [node, shared, { statistics, references }] = await Promise.all([
			readNode({ ctx, input: { id: params.id } }),
			ctx.shared(),
			listNodeStatistics({ ctx, input: { id: params.id } })
		]);
		return {
			...node,
			statistics,
			references,
			indicators: shared.indicators,
			categories: editable ? shared.taxonomy.categories : [],
			canEdit: editable
		};
	});

/** The form of one statistic (`statistic-<id>`); a statistic is always named with the node of the URL. */
const statisticForm = (values: Record<string, unknown>) => `statistic-${String(values.id ?? '')}`;

export const actions: Actions = {
	addStatistic: (event) =>
		formAction(event, 'statistic', async (values) => {
			await createStatistic({ ctx: tenantContext(event.locals), input: { ...values, nodeId: event.params.id } });
			return { did: 'addStatistic' };
		}),
	updateStatistic: (event) =>
		formAction(event, statisticForm, async (values) => {
			await updateStatistic({ ctx: tenantContext(event.locals), input: { ...values, nodeId: event.params.id } });
			return { did: 'updateStatistic' };
		}),
	deleteStatistic: (event) =>
		formAction(event, statisticForm, async (values) => {
			await deleteStatistic({ ctx: tenantContext(event.locals), input: { ...values, nodeId: event.params.id } });
			return { did: 'deleteStatistic' };
		}),
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
