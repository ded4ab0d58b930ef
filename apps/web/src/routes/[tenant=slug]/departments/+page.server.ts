import { departmentForm, fieldErrors, version } from '@mamori/services/domain';
import { createDepartment, deleteDepartment, listDepartments, renameDepartment } from '@mamori/services';
import { fail, isActionFailure } from '@sveltejs/kit';
import { canEdit, runWrite, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { create: 'plan.edit', rename: 'plan.edit', delete: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals }) => ({
	departments: await listDepartments({ ctx: tenantContext(locals) }),
	canEdit: canEdit(locals, 'all')
});

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const values = { name: (await request.formData()).get('name') };
		const parsed = departmentForm.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'create', errors: fieldErrors(parsed.error), values });
		const result = await runWrite('create', values, () =>
			createDepartment({ ctx: tenantContext(locals), input: parsed.data })
		);
		return isActionFailure(result) ? result : { form: 'create', saved: true };
	},
	rename: async ({ locals, request }) => {
		const data = await request.formData();
		const id = String(data.get('id') ?? '');
		const values = { id, name: data.get('name') };
		const parsed = departmentForm.safeParse(values);
		const v = version.safeParse(data.get('version'));
		if (!parsed.success || !v.success)
			return fail(400, { form: `rename-${id}`, errors: parsed.success ? {} : fieldErrors(parsed.error), values });
		const result = await runWrite(`rename-${id}`, values, () =>
			renameDepartment({ ctx: tenantContext(locals), input: { id, version: v.data, name: parsed.data.name } })
		);
		return isActionFailure(result) ? result : { form: `rename-${id}`, saved: true };
	},
	delete: async ({ locals, request }) => {
		const data = await request.formData();
		const id = String(data.get('id') ?? '');
		const v = version.safeParse(data.get('version'));
		if (!v.success) return fail(400, { form: `rename-${id}`, errors: { form: 'invalid' } });
		const result = await runWrite(`rename-${id}`, {}, () =>
			deleteDepartment({ ctx: tenantContext(locals), input: { id, version: v.data } })
		);
		return isActionFailure(result) ? result : { form: 'delete', saved: true };
	}
};
