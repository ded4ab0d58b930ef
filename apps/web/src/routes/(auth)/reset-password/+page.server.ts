import { isEmail, requestPasswordReset } from '@mamori/services/auth';
import { fail } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format';
import type { PageAccess } from '$lib/server/access';
import { readForm } from '$lib/server/body';
import { firstFilter } from '$lib/server/rate-limit';
import { sendMail } from '$lib/server/mail';
import { afterResponse } from '$lib/server/platform';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'public', actions: { default: 'public' } } satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = () => ({});

export const actions: Actions = {
	default: async (event) => {
		const limited = await firstFilter(event, 'password_reset');
		if (limited) return fail(429, { email: '', error: 'rate_limited' as const, retryAt: limited.retryAt });
		const email = String((await readForm(event)).get('email') ?? '').trim();
		if (!isEmail(email)) return fail(400, { email, error: 'invalid_email' as const });
		// The lookup, the new link and the mail happen after the answer, so that it comes back in the
		// same time whether or not the address has an account.
		afterResponse(
			event.platform,
			'password reset',
			requestPasswordReset({ core: event.locals.core, input: { email } }).then(
				(reset) =>
					reset &&
					sendMail(event, {
						to: reset.email,
						subject: 'mail_reset_subject',
						body: 'mail_reset_body',
						params: {
							name: reset.displayName,
							url: `${event.url.origin}/reset-password/${reset.token}`,
							expires: formatDateTime(event.locals.locale, reset.expiresAt)
						}
					})
			)
		);
		// The same answer whether or not the address has an account.
		return { sent: true, email };
	}
};
