// Mail through an HTTP provider, for deployments without Cloudflare Email Service. The contract
// (the one Resend's POST /emails takes, and most transactional providers accept):
//   POST MAMORI_MAIL_HTTP_URL
//   Authorization: Bearer MAMORI_MAIL_HTTP_TOKEN
//   Content-Type: application/json
//   {"from": "...", "to": ["..."], "subject": "...", "text": "..."}
// Any 2xx answer is delivery accepted; anything else is an error carrying the status.
import type { MailMessage, Mailer } from './index.ts';

export interface HttpMailerOptions {
	url: string;
	token: string;
	from: string;
}

export class HttpMailer implements Mailer {
	readonly kind = 'http';
	readonly #options: HttpMailerOptions;
	constructor(options: HttpMailerOptions) {
		this.#options = options;
	}

	async send(message: MailMessage): Promise<void> {
		const { url, token, from } = this.#options;
		const response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ from, to: [message.to], subject: message.subject, text: message.text })
		});
		if (!response.ok) {
			// The provider's answer says why (a refused sender, a bad address); a short part of it is enough.
			const detail = (await response.text().catch(() => '')).slice(0, 200);
			throw new Error(`The mail provider refused the message: HTTP ${response.status} ${detail}`.trim());
		}
	}
}
