import { can } from '@mamori/services/auth';
import { closeRound, listRoundReminders, readRound } from '@mamori/services/rounds';
import { loading } from '$lib/server/errors';
import { formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { close: 'round.manage' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params, url }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const canManage = can(locals.principal, 'round.manage', { tenant: locals.tenant });
		const [round, reminders] = await Promise.all([
			readRound({ ctx, input: { id: params.id } }),
			canManage ? listRoundReminders({ ctx, input: { id: params.id } }) : null
		]);
		const opened = Number(url.searchParams.get('opened'));
		return {
			...round,
			canManage,
			reminders,
			// Closing is confirmed on the page itself (?confirm=close), so without JavaScript too.
			confirm: canManage && round.round.state === 'open' && url.searchParams.get('confirm') === 'close',
			opened: Number.isInteger(opened) && opened > 0 ? opened : null
		};
	});

export const actions: Actions = {
	close: (event) =>
		formAction(event, 'close', async (values) => {
			await closeRound({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		})
};
