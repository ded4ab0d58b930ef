// Sends the app's mails through the one mailer interface (@mamori/services/mail), in the reader's language.
import { mailerFromEnv } from '@mamori/services/mail';
import type { Locale } from '$lib/paraglide/runtime';
import { translate, type MessageKey } from './i18n.ts';
import { platformEnv } from './platform.ts';

export async function sendMail(
	event: { locals: App.Locals; platform: App.Platform | undefined },
	message: { to: string; subject: MessageKey; body: MessageKey; params: Record<string, string | number> },
	locale: Locale = event.locals.locale
): Promise<void> {
	const mailer = mailerFromEnv(platformEnv(event.platform), event.locals.core);
	await mailer.send({
		to: message.to,
		subject: translate(locale, message.subject, message.params),
		text: translate(locale, message.body, message.params)
	});
}
