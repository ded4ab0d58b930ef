import { can } from '@mamori/services/auth';
import { listRounds, openRound } from '@mamori/services/rounds';
import { redirect } from '@sveltejs/kit';
import { loading } from '$lib/server/errors';
import { formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { open: 'round.manage' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => ({
		rounds: await listRounds({ ctx: tenantContext(locals) }),
		canManage: can(locals.principal, 'round.manage', { tenant: locals.tenant })
	}));

export const actions: Actions = {
	open: async (event) => {
		const result = await formAction(event, 'open', (values) =>
			openRound({ ctx: tenantContext(event.locals), input: values })
		);
		// Opened: on to the round's own page (a GET, so reloading does not post again).
		if ('saved' in result) redirect(303, `/${event.params.tenant}/rounds/${result.id}?opened=${result.tasks}`);
		return result;
	}
};
