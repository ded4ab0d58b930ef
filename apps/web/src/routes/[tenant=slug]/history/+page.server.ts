import { listDeletedInitiativeIds, listHistory, restoreInitiative } from '@mamori/services';
import { fail } from '@sveltejs/kit';
import { canEdit, runWrite, sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'plan.read', actions: { restore: 'plan.edit' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = tenantContext(locals);
	const [history, deletedIds, shared] = await Promise.all([
		listHistory({ ctx, input: { limit: 200 } }),
		listDeletedInitiativeIds({ ctx }),
		sharedCodes(locals)
	]);
	return { history, deletedIds, categories: shared.taxonomy.categories, canEdit: canEdit(locals) };
};

export const actions: Actions = {
	restore: async ({ locals, request }) => {
		const id = String((await request.formData()).get('id') ?? '');
		if (!id) return fail(400, { form: 'restore', errors: { id: 'invalid' } });
		await runWrite('restore', {}, () => restoreInitiative({ ctx: tenantContext(locals), input: { id } }));
		return { form: 'restore', saved: true };
	}
};
