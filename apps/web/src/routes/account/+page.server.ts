import {
	changeDisplayName,
	changePassword,
	invalidateUserSessions,
	listSessions,
	revokeOwnSession
} from '@mamori/services/auth';
import { formAction } from '$lib/server/workspace';
import { error, fail, redirect } from '@sveltejs/kit';
import type { PageAccess } from '$lib/server/access';
import { readForm } from '$lib/server/body';
import { clientAddress } from '$lib/server/request';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const _access = {
	load: 'session',
	actions: { rename: 'session', revoke: 'session', revokeOthers: 'session', changePassword: 'session' }
} satisfies PageAccess<typeof actions>;

/** The signed-in user and session (handleAuth let only signed-in requests through). */
function me(locals: App.Locals) {
	if (!locals.principal || !locals.session)
		error(403, { message: m.denied_unauthenticated({}, { locale: locals.locale }), code: 'UNAUTHENTICATED' });
	return { principal: locals.principal, session: locals.session };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const { principal, session } = me(locals);
	const sessions = await listSessions({ core: locals.core, userId: principal.userId });
	return {
		account: {
			email: principal.email,
			displayName: principal.displayName,
			memberships: principal.memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role })),
			prefectures: principal.prefectures,
			isOperator: principal.isOperator
		},
		sessions: sessions.map((s) => ({ ...s, current: s.id === session.id })),
		changed: url.searchParams.has('changed')
	};
};

export const actions: Actions = {
	rename: (event) => {
		const { principal } = me(event.locals);
		return formAction(event, 'name', (values) =>
			changeDisplayName({ core: event.locals.core, input: values, userId: principal.userId })
		);
	},
	revoke: async (event) => {
		const { principal, session } = me(event.locals);
		const id = String((await readForm(event)).get('id') ?? '');
		await revokeOwnSession({ core: event.locals.core, userId: principal.userId, sessionId: id });
		if (id === session.id) {
			deleteSessionCookie(event);
			redirect(303, '/login');
		}
		return { form: 'sessions', revoked: true };
	},
	revokeOthers: async ({ locals }) => {
		const { principal, session } = me(locals);
		await invalidateUserSessions({ core: locals.core, userId: principal.userId, exceptSessionId: session.id });
		return { form: 'sessions', revoked: true };
	},
	changePassword: async (event) => {
		const { principal } = me(event.locals);
		const data = await readForm(event);
		const newPassword = String(data.get('newPassword') ?? '');
		if (newPassword !== String(data.get('confirm') ?? '')) return fail(400, { form: 'password', error: 'mismatch' });
		const result = await changePassword({
			core: event.locals.core,
			input: {
				userId: principal.userId,
				currentPassword: String(data.get('currentPassword') ?? ''),
				newPassword,
				address: clientAddress(event),
				userAgent: event.request.headers.get('user-agent')
			}
		});
		if (!result.ok)
			return fail(result.reason === 'throttled' ? 429 : 400, {
				form: 'password',
				error: result.reason,
				problem: 'problem' in result ? result.problem : null,
				retryAt: 'retryAt' in result ? result.retryAt.getTime() : null
			});
		// Every session, this one included, ended: this browser continues with a fresh one.
		setSessionCookie(event, result.token, result.session.expiresAt);
		return { form: 'password', changed: true };
	}
};
