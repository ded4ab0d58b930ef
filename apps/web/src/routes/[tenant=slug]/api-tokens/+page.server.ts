import { createApiToken, listApiTokens, revokeApiToken } from '@mamori/services/api-tokens';
import { listDepartments } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import { loading } from '$lib/server/errors';
import { formAction, membersContext, tenantContext } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

// Tokens decide who reaches the city's data from other systems: its admins manage them, beside its members.
export const _access = {
	load: 'members.manage',
	actions: { create: 'members.manage', revoke: 'members.manage' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const [tokens, departments] = await Promise.all([
			listApiTokens({ ctx: membersContext(locals) }),
			listDepartments({ ctx: tenantContext(locals) })
		]);
		return { tokens, departments: departments.map((d) => ({ id: d.id, name: d.name })) };
	});

export const actions: Actions = {
	// The answer carries the whole token: the one time it is shown (the page never loads it again).
	create: (event) =>
		formAction(
			event,
			'create',
			async (values) => {
				const { token, name } = await createApiToken({ ctx: membersContext(event.locals), input: values });
				return { created: { token, name } };
			},
			{ lists: ['departmentIds'] }
		),
	revoke: (event) =>
		formAction(
			event,
			(values) => `token-${String(values.tokenId ?? '')}`,
			async (values) => {
				await revokeApiToken({ ctx: membersContext(event.locals), input: values });
				return { revoked: true };
			}
		)
};
