import { createDepartment, deleteDepartment, listDepartments, renameDepartment } from '@mamori/services';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { create: 'plan.edit', rename: 'plan.edit', delete: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => ({
		departments: await listDepartments({ ctx: tenantContext(locals) }),
		canEdit: canEdit(locals, 'all')
	}));

/** Each department's row is its own form. */
const rowForm = (values: Record<string, unknown>) => `rename-${String(values.id ?? '')}`;

export const actions: Actions = {
	create: (event) =>
		formAction(event, 'create', async (values) => {
			await createDepartment({ ctx: tenantContext(event.locals), input: values });
		}),
	rename: (event) =>
		formAction(event, rowForm, async (values) => {
			await renameDepartment({ ctx: tenantContext(event.locals), input: values });
		}),
	delete: async (event) => {
		const result = await formAction(event, rowForm, async (values) => {
			await deleteDepartment({ ctx: tenantContext(event.locals), input: values });
		});
		return 'saved' in result ? { ...result, form: 'delete' } : result;
	}
};
