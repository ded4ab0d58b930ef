// The one mailer interface and the choice of transport. Locally, mail is written to the console and
// to the outbox table that operators read on /operator/mail, so invitations, resets and reminders
// work without a mail server; in production it leaves through Email Service or an HTTP provider.
import { desc } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { mailOutbox } from '@mamori/db/core';
import { newId } from '@mamori/db';
import { authorize, type Principal } from '../auth/policy.ts';
import { HttpMailer } from './http.ts';
import { SendEmailMailer, type SendEmailBinding } from './send-email.ts';

export { HttpMailer, type HttpMailerOptions } from './http.ts';
export { SendEmailMailer, type SendEmailBinding } from './send-email.ts';

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

export interface Mailer {
	readonly kind: string;
	send(message: MailMessage): Promise<void>;
}

export class OutboxMailer implements Mailer {
	readonly kind = 'outbox';
	readonly #core: CoreDb;
	readonly #log: (line: string) => void;
	constructor(core: CoreDb, log: (line: string) => void = (line) => console.log(line)) {
		this.#core = core;
		this.#log = log;
	}

	async send(message: MailMessage): Promise<void> {
		const now = Date.now();
		await this.#core.insert(mailOutbox).values({
			id: newId(now),
			to: message.to,
			subject: message.subject,
			body: message.text,
			createdAt: new Date(now)
		});
		this.#log(`[mail] To: ${message.to}\n[mail] Subject: ${message.subject}\n${message.text}\n[mail] --`);
	}
}

/** Production without a transport: refusing loudly is better than writing sign-in links where operators could read them. */
export class UnconfiguredMailer implements Mailer {
	readonly kind = 'unconfigured';
	readonly #missing: string;
	constructor(missing = 'a send_email binding (EMAIL) or MAMORI_MAIL_HTTP_URL') {
		this.#missing = missing;
	}
	async send(): Promise<void> {
		throw new Error(`No mail transport is configured for production: set ${this.#missing}.`);
	}
}

/** The mail settings of a Worker's environment (see README, "Mail"). */
export interface MailEnv {
	MAMORI_ENV?: string | undefined;
	/** outbox: the local outbox even in production (staging); otherwise chosen as below. */
	MAMORI_MAILER?: string | undefined;
	/** The sender address of every mail, on a domain the transport may send from. */
	MAMORI_MAIL_FROM?: string | undefined;
	/** Cloudflare Email Service: the `[[send_email]]` binding named EMAIL. */
	EMAIL?: SendEmailBinding | undefined;
	/** An HTTP provider (mail/http.ts): its endpoint and bearer token (a secret). */
	MAMORI_MAIL_HTTP_URL?: string | undefined;
	MAMORI_MAIL_HTTP_TOKEN?: string | undefined;
}

/**
 * The one place a transport is chosen: in production the Email Service binding when present,
 * else the HTTP provider when configured; an HTTP provider configured elsewhere (staging) is
 * used too; locally the outbox, so mail works without a mail server.
 */
export function mailerFromEnv(env: MailEnv, core: CoreDb): Mailer {
	if (env.MAMORI_MAILER === 'outbox') return new OutboxMailer(core);
	const production = env.MAMORI_ENV === 'production';
	const from = env.MAMORI_MAIL_FROM;
	if (production && env.EMAIL)
		return from ? new SendEmailMailer(env.EMAIL, from) : new UnconfiguredMailer('MAMORI_MAIL_FROM');
	if (env.MAMORI_MAIL_HTTP_URL) {
		if (!from || !env.MAMORI_MAIL_HTTP_TOKEN)
			return new UnconfiguredMailer('MAMORI_MAIL_FROM and MAMORI_MAIL_HTTP_TOKEN');
		return new HttpMailer({ url: env.MAMORI_MAIL_HTTP_URL, token: env.MAMORI_MAIL_HTTP_TOKEN, from });
	}
	return production ? new UnconfiguredMailer() : new OutboxMailer(core);
}

/** The local outbox, newest first: operators only. */
export async function listOutbox({
	core,
	principal,
	limit = 100
}: {
	core: CoreDb;
	principal: Principal | null;
	limit?: number;
}) {
	authorize(principal, 'operator.console');
	return core.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
}
