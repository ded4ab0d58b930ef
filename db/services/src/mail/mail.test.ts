// The transports behind the one Mailer: the HTTP provider against a real local server that
// records what it receives, the Email Service binding against a fake that holds to the binding's
// documented contract, and the choice mailerFromEnv makes.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreDb } from '@mamori/db';
import { HttpMailer, mailerFromEnv, SendEmailMailer, type MailEnv, type SendEmailBinding } from './index.ts';

const message = {
	to: 'sato@city.meguro.example',
	subject: '【Mamori】テスト',
	text: '本文です。\nhttps://mamori.example/'
};

describe('HttpMailer (a real local HTTP server)', () => {
	const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
	let answer = { status: 200, body: '{"id":"m-1"}' };
	const server = createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk: string) => (body += chunk));
		request.on('end', () => {
			received.push({ method: request.method, url: request.url, headers: request.headers, body });
			response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
		});
	});
	let url = '';
	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/emails`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('posts the message as JSON with the bearer token', async () => {
		const mailer = new HttpMailer({ url, token: 'secret-token', from: 'Mamori <noreply@mamori.example>' });
		await mailer.send(message);
		expect(received).toHaveLength(1);
		const [request] = received;
		expect(request).toMatchObject({ method: 'POST', url: '/emails' });
		expect(request!.headers.authorization).toBe('Bearer secret-token');
		expect(request!.headers['content-type']).toBe('application/json');
		expect(JSON.parse(request!.body)).toEqual({
			from: 'Mamori <noreply@mamori.example>',
			to: ['sato@city.meguro.example'],
			subject: '【Mamori】テスト',
			text: '本文です。\nhttps://mamori.example/'
		});
	});

	it('a refusal is an error that says the status and why', async () => {
		answer = { status: 422, body: '{"message":"The from address is not verified"}' };
		const mailer = new HttpMailer({ url, token: 't', from: 'noreply@mamori.example' });
		await expect(mailer.send(message)).rejects.toThrow(
			'The mail provider refused the message: HTTP 422 {"message":"The from address is not verified"}'
		);
	});
});

/**
 * A stand-in for the `send_email` binding that does what Cloudflare documents (Email Service,
 * Workers API): a structured message with from, to (at most 50), subject and text or html,
 * answered with { messageId }; a message it cannot send makes send() throw.
 */
function fakeBinding(options: { refuse?: string } = {}) {
	const sent: unknown[] = [];
	const binding: SendEmailBinding = {
		async send(builder) {
			const to = Array.isArray(builder.to) ? builder.to : [builder.to];
			if (!builder.from || !to.length || to.length > 50 || !builder.subject || !(builder.text || 'html' in builder))
				throw new Error('invalid message');
			if (options.refuse) throw new Error(options.refuse);
			sent.push(builder);
			return { messageId: `<${sent.length}@mamori.example>` };
		}
	};
	return { binding, sent };
}

describe('SendEmailMailer (Cloudflare Email Service binding)', () => {
	it('hands the binding a structured message from the configured sender', async () => {
		const { binding, sent } = fakeBinding();
		await new SendEmailMailer(binding, 'noreply@mamori.example').send(message);
		expect(sent).toEqual([
			{
				from: 'noreply@mamori.example',
				to: 'sato@city.meguro.example',
				subject: '【Mamori】テスト',
				text: '本文です。\nhttps://mamori.example/'
			}
		]);
	});

	it('a refused message is an error for the caller to record', async () => {
		const { binding } = fakeBinding({ refuse: 'E_SENDER_NOT_VERIFIED' });
		await expect(new SendEmailMailer(binding, 'noreply@mamori.example').send(message)).rejects.toThrow(
			'E_SENDER_NOT_VERIFIED'
		);
	});
});

describe('mailerFromEnv chooses the transport', () => {
	const core = {} as CoreDb;
	const { binding } = fakeBinding();
	const http = { MAMORI_MAIL_HTTP_URL: 'https://api.provider.example/emails', MAMORI_MAIL_HTTP_TOKEN: 't' };
	const from = { MAMORI_MAIL_FROM: 'noreply@mamori.example' };
	const cases: [string, MailEnv, string][] = [
		['local', { MAMORI_ENV: 'development' }, 'outbox'],
		['local, with an HTTP provider', { MAMORI_ENV: 'development', ...http, ...from }, 'http'],
		['production with the binding', { MAMORI_ENV: 'production', EMAIL: binding, ...http, ...from }, 'send_email'],
		['production with an HTTP provider', { MAMORI_ENV: 'production', ...http, ...from }, 'http'],
		['production with neither', { MAMORI_ENV: 'production', ...from }, 'unconfigured'],
		['production, the binding but no sender', { MAMORI_ENV: 'production', EMAIL: binding }, 'unconfigured'],
		[
			'production, an HTTP provider without its token',
			{ MAMORI_ENV: 'production', ...from, MAMORI_MAIL_HTTP_URL: 'x' },
			'unconfigured'
		],
		['staging on the outbox', { MAMORI_ENV: 'production', MAMORI_MAILER: 'outbox', EMAIL: binding, ...from }, 'outbox']
	];
	it.each(cases)('%s', (_, env, kind) => {
		expect(mailerFromEnv(env, core).kind).toBe(kind);
	});

	it('unconfigured production says what to set', async () => {
		await expect(mailerFromEnv({ MAMORI_ENV: 'production', EMAIL: binding }, core).send(message)).rejects.toThrow(
			'No mail transport is configured for production: set MAMORI_MAIL_FROM.'
		);
	});
});
