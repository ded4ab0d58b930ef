// The password reset form answers known and unknown addresses alike, in the same time: the review
// measured them apart because the answer waited for the lookup and the mail. Proved without timing
// anything: the action's answer is the same and is given after the same core round trips for both
// (those of reading the form, before any lookup has come back); the lookup, the link and the mail
// for the known address happen after it, in the Worker's waitUntil.
import { openCore, RoundTrips } from '@mamori/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, type AuthWorld } from '../../../../../db/services/test/auth-world.ts';
import { actions } from '../../routes/(auth)/reset-password/+page.server.ts';

describe('the password reset answers before it looks the address up (real sqld)', () => {
	let world: AuthWorld;
	beforeAll(async () => {
		world = await authWorld();
	});

	async function ask(email: string) {
		const meter = new RoundTrips();
		const core = openCore({ ...world.location, meter });
		const after: Promise<unknown>[] = [];
		const event = {
			request: new Request('http://mamori.test/reset-password', {
				method: 'POST',
				body: new URLSearchParams({ email })
			}),
			url: new URL('http://mamori.test/reset-password'),
			locals: { core, locale: 'ja' },
			platform: {
				env: { CORE_DATABASE_URL: world.location.url },
				ctx: { waitUntil: (work: Promise<unknown>) => void after.push(work) }
			},
			getClientAddress: () => '192.0.2.9'
		};
		const answer = await actions.default!(event as never);
		const atAnswer = meter.count;
		await Promise.all(after);
		return { answer, atAnswer, inAll: meter.count, later: after.length };
	}

	it('a known and an unknown address get the same answer after the same work; only the known one is mailed, later', async () => {
		const known = await ask('viewer@koganei.example');
		const unknown = await ask('nobody-here@koganei.example');
		expect(known.answer).toEqual({ sent: true, email: 'viewer@koganei.example' });
		expect(unknown.answer).toEqual({ sent: true, email: 'nobody-here@koganei.example' });
		expect(unknown.atAnswer).toBe(known.atAnswer);
		expect(known.later).toBe(1);
		expect(unknown.later).toBe(1);
		// The known address then costs more round trips (the link, the mail), all after the answer.
		expect(known.inAll).toBeGreaterThan(unknown.inAll);
		const mailed = await world.core.$client.execute({
			sql: 'SELECT "to" FROM mail_outbox WHERE "to" IN (?, ?)',
			args: ['viewer@koganei.example', 'nobody-here@koganei.example']
		});
		expect(mailed.rows.map((r) => r.to)).toEqual(['viewer@koganei.example']);
		console.log(
			`password reset: known and unknown answered after ${known.atAnswer} core round trips; the known one's lookup, link and mail took ${known.inAll - known.atAnswer} more, after the answer`
		);
	});
});
