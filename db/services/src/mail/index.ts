// The one mailer interface. Locally, mail is written to the console and to the outbox table that
// operators read on /operator/mail, so invitations and resets work without a mail server.
import { desc } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { mailOutbox } from '@mamori/db/core';
import { newId } from '@mamori/db';
import { authorize, type Principal } from '../auth/policy.ts';

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

/**
 * Production has no transport yet: refusing loudly is better than writing sign-in links where
 * operators could read them. Set MAMORI_MAILER=outbox to use the outbox anyway (staging).
 */
export class UnconfiguredMailer implements Mailer {
	readonly kind = 'unconfigured';
	async send(): Promise<void> {
		throw new Error('No mail transport is configured for production (MAMORI_MAILER).');
	}
}

export function mailerFromEnv(
	env: { MAMORI_ENV?: string | undefined; MAMORI_MAILER?: string | undefined },
	core: CoreDb
): Mailer {
	if (env.MAMORI_ENV === 'production' && env.MAMORI_MAILER !== 'outbox') return new UnconfiguredMailer();
	return new OutboxMailer(core);
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
