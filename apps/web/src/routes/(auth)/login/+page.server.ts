import { signIn } from '@mamori/services/auth';
import { fail, redirect } from '@sveltejs/kit';
import type { PageAccess } from '$lib/server/access';
import { readForm } from '$lib/server/body';
import { firstFilter } from '$lib/server/rate-limit';
import { clientAddress } from '$lib/server/request';
import { safeNext, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'public', actions: { default: 'public' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.principal) redirect(303, next);
	return { next };
};

export const actions: Actions = {
	default: async (event) => {
		// A flood from one address is shed before its body is read or the core database is asked.
		const limited = await firstFilter(event, 'sign_in');
		if (limited) return fail(429, { email: '', next: '/', error: 'rate_limited' as const, retryAt: limited.retryAt });
		const data = await readForm(event);
		const email = String(data.get('email') ?? '').slice(0, 254);
		const password = String(data.get('password') ?? '');
		const next = safeNext(data.get('next'));
		if (!email.trim() || !password) return fail(400, { email, next, error: 'missing' as const });
		const result = await signIn({
			core: event.locals.core,
			input: { email, password, address: clientAddress(event), userAgent: event.request.headers.get('user-agent') }
		});
		if (!result.ok && result.reason === 'throttled')
			return fail(429, { email, next, error: 'throttled' as const, retryAt: result.retryAt.getTime() });
		if (!result.ok) return fail(400, { email, next, error: 'invalid' as const });
		setSessionCookie(event, result.token, result.session.expiresAt);
		redirect(303, next);
	}
};
