// Mail through Cloudflare Email Service: the Worker's `send_email` binding (wrangler.toml
// `[[send_email]] name = "EMAIL"`). The sending domain must be onboarded to Email Service.
import type { MailMessage, Mailer } from './index.ts';

/**
 * What the binding's `send()` takes and returns, as Cloudflare documents it (Email Service,
 * Workers API): a structured message (from, to, subject, text or html), resolving to the
 * message id; it throws when the message is refused. Declared here, not taken from
 * @cloudflare/workers-types, so that this package type-checks outside a Worker too.
 */
export interface SendEmailBinding {
	send(message: { from: string; to: string | string[]; subject: string; text: string }): Promise<{
		messageId: string;
	}>;
}

export class SendEmailMailer implements Mailer {
	readonly kind = 'send_email';
	readonly #binding: SendEmailBinding;
	readonly #from: string;
	constructor(binding: SendEmailBinding, from: string) {
		this.#binding = binding;
		this.#from = from;
	}

	async send(message: MailMessage): Promise<void> {
		await this.#binding.send({ from: this.#from, to: message.to, subject: message.subject, text: message.text });
	}
}
