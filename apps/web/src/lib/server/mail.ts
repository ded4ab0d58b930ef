// Sends the app's mails through the one mailer interface (@mamori/services/mail), in the reader's language.
import { mailerFromEnv, type Mailer } from '@mamori/services/mail';
import { formatDateTime } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { translate, type MessageKey } from './i18n.ts';
import { platformEnv } from './platform.ts';

/** The one mailer of this deployment (the outbox locally). */
export function mailerOf(event: { locals: App.Locals; platform: App.Platform | undefined }): Mailer {
	return mailerFromEnv(platformEnv(event.platform), event.locals.core);
}

export async function sendMail(
	event: { locals: App.Locals; platform: App.Platform | undefined },
	message: { to: string; subject: MessageKey; body: MessageKey; params: Record<string, string | number> },
	locale: Locale = event.locals.locale
): Promise<void> {
	await mailerOf(event).send({
		to: message.to,
		subject: translate(locale, message.subject, message.params),
		text: translate(locale, message.body, message.params)
	});
}

/** The invitation of a city's first admin (a city subscribed or restored, or a new invitation). */
export async function sendAdminInvitation(
	event: { locals: App.Locals; platform: App.Platform | undefined; url: URL },
	sent: { tenant: { name: string }; invitation: { email: string; token: string; expiresAt: Date } }
) {
	await sendMail(event, {
		to: sent.invitation.email,
		subject: 'mail_invite_subject',
		body: 'mail_invite_body',
		params: {
			city: sent.tenant.name,
			inviter: event.locals.principal?.displayName ?? '',
			role: m.role_admin({}, { locale: event.locals.locale }),
			url: `${event.url.origin}/invite/${sent.invitation.token}`,
			expires: formatDateTime(event.locals.locale, sent.invitation.expiresAt)
		}
	});
}
