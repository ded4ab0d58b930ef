import { acceptInvitation, readInvitation } from '@mamori/services/auth';
import { fail, redirect } from '@sveltejs/kit';
import type { PageAccess } from '$lib/server/access';
import { readForm } from '$lib/server/body';
import { clientAddress } from '$lib/server/request';
import { newPassword, startSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'public', actions: { default: 'public' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals, params }) => ({
	invitation: await readInvitation({ core: locals.core, token: params.token })
});

export const actions: Actions = {
	default: async (event) => {
		const data = await readForm(event);
		const { password, mismatch } = newPassword(data);
		const displayName = data.has('displayName') ? String(data.get('displayName')) : null;
		// Only a new account types its password twice.
		if (data.has('confirm') && mismatch) return fail(400, { error: 'mismatch' as const, displayName });
		const result = await acceptInvitation({
			core: event.locals.core,
			input: { token: event.params.token, password, displayName, address: clientAddress(event) }
		});
		if (!result.ok)
			return fail(result.reason === 'throttled' ? 429 : 400, {
				error: result.reason,
				displayName,
				problem: 'problem' in result ? result.problem : null,
				retryAt: 'retryAt' in result ? result.retryAt.getTime() : null
			});
		await startSession(event, result.userId);
		redirect(303, `/${result.tenantSlug}`);
	}
};
