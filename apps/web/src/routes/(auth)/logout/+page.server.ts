import { invalidateSession } from '@mamori/services/auth';
import { redirect } from '@sveltejs/kit';
import type { PageAccess } from '$lib/server/access';
import { deleteSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

// Public: signing out without a (valid) session simply lands on the top page.
export const _access = { load: 'public', actions: { default: 'public' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.principal !== null });

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.session) await invalidateSession({ core: event.locals.core, sessionId: event.locals.session.id });
		deleteSessionCookie(event);
		redirect(303, '/');
	}
};
