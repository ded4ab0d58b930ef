import { readPasswordReset, resetPassword } from '@mamori/services/auth';
import { fail, redirect } from '@sveltejs/kit';
import type { PageAccess } from '$lib/server/access';
import { readForm } from '$lib/server/body';
import { newPassword, startSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'public', actions: { default: 'public' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals, params }) => ({
	reset: await readPasswordReset({ core: locals.core, token: params.token })
});

export const actions: Actions = {
	default: async (event) => {
		const { password, mismatch } = newPassword(await readForm(event));
		if (mismatch) return fail(400, { error: 'mismatch' as const });
		const result = await resetPassword({ core: event.locals.core, input: { token: event.params.token, password } });
		if (!result.ok) return fail(400, { error: result.reason, problem: 'problem' in result ? result.problem : null });
		// Every session ended with the reset; this browser gets a fresh one.
		await startSession(event, result.userId);
		redirect(303, '/account?changed=1');
	}
};
