import { listDeletedInitiativeIds, listHistory, restoreInitiative, restoreVersion } from '@mamori/services';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { restore: 'plan.edit', restoreVersion: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [history, deletedIds, shared] = await Promise.all([
			listHistory({ ctx, input: { limit: 200 } }),
			listDeletedInitiativeIds({ ctx }),
			ctx.shared()
		]);
		return {
			history,
			deletedIds,
			categories: [...shared.taxonomy.categories, ...shared.taxonomy.retired],
			canEdit: canEdit(locals)
		};
	});

export const actions: Actions = {
	restore: (event) =>
		formAction(event, 'restore', async (values) => {
			await restoreInitiative({ ctx: tenantContext(event.locals), input: values });
		}),
	/** Back to the version any entry replaced: the entry names its item; no version is compared here. */
	restoreVersion: (event) =>
		formAction(event, 'history', async (values) => {
			await restoreVersion({ ctx: tenantContext(event.locals), input: { ...values, version: undefined } });
		})
};
