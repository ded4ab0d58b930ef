import { fieldErrors, newInitiativeForm, newNodeForm, nodeForm, version } from '@mamori/services/domain';
import { createInitiative, createNode, deleteNode, moveNode, readNode, updateNode } from '@mamori/services';
import { fail, isActionFailure, redirect } from '@sveltejs/kit';
import { canEdit, runWrite, sharedCodes, tenantContext } from '$lib/server/workspace';
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

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = tenantContext(locals);
	const [node, shared] = await Promise.all([readNode({ ctx, input: { id: params.id } }), sharedCodes(locals)]);
	return { ...node, categories: shared.taxonomy.categories, canEdit: canEdit(locals, 'all') };
};

const text = (data: FormData, key: string) => data.get(key) ?? undefined;

export const actions: Actions = {
	update: async ({ locals, params, request }) => {
		const data = await request.formData();
		const values = {
			version: text(data, 'version'),
			code: text(data, 'code'),
			title: text(data, 'title'),
			summary: text(data, 'summary')
		};
		const parsed = nodeForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'node', errors: fieldErrors(parsed.error), values });
		const result = await runWrite('node', values, () =>
			updateNode({ ctx: tenantContext(locals), input: { ...parsed.data, id: params.id } })
		);
		return isActionFailure(result) ? result : { form: 'node', saved: true };
	},
	addInitiative: async ({ locals, params, request }) => {
		const data = await request.formData();
		const values = {
			nodeId: params.id,
			title: text(data, 'title'),
			categoryCodes: data.getAll('categoryCodes').map(String),
			departmentIds: []
		};
		const parsed = newInitiativeForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'initiative', errors: fieldErrors(parsed.error), values });
		const { taxonomyCodes } = await sharedCodes(locals);
		const result = await runWrite('initiative', values, () =>
			createInitiative({ ctx: tenantContext(locals), input: parsed.data, taxonomyCodes })
		);
		if (isActionFailure(result)) return result;
		redirect(303, `/${params.tenant}/initiatives/${(result as { id: string }).id}`);
	},
	addChild: async ({ locals, params, request }) => {
		const data = await request.formData();
		const values = { code: text(data, 'code'), title: text(data, 'title') };
		const parsed = newNodeForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'child', errors: fieldErrors(parsed.error), values });
		const result = await runWrite('child', values, () =>
			createNode({ ctx: tenantContext(locals), input: { ...parsed.data, parentId: params.id } })
		);
		if (isActionFailure(result)) return result;
		redirect(303, `/${params.tenant}/nodes/${(result as { id: string }).id}`);
	},
	move: async ({ locals, params, request }) => {
		const direction = (await request.formData()).get('direction') === 'up' ? 'up' : 'down';
		await runWrite('move', {}, () => moveNode({ ctx: tenantContext(locals), input: { id: params.id, direction } }));
		return { form: 'move', saved: true };
	},
	delete: async ({ locals, params, request }) => {
		const v = version.safeParse((await request.formData()).get('version'));
		if (!v.success) return fail(400, { form: 'node', errors: { form: 'invalid' } });
		const result = await runWrite('node', {}, () =>
			deleteNode({ ctx: tenantContext(locals), input: { id: params.id, version: v.data } })
		);
		if (isActionFailure(result)) return result;
		redirect(303, `/${params.tenant}`);
	}
};
