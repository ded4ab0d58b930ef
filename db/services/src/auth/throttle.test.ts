import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { signIn } from './sign-in.ts';
import { addressKey, THROTTLE } from './throttle.ts';

const MINUTE = 60 * 1000;

describe('sign-in throttling, state in the core database (real sqld, injected clock)', () => {
	let world: AuthWorld;
	beforeAll(async () => {
		world = await authWorld();
	});

	const attempt = (email: string, password: string, now: number, address = '203.0.113.7') =>
		signIn({ core: world.core, input: { email, password, address }, now });

	it(`the ${THROTTLE.account.block + 1}th attempt after ${THROTTLE.account.block} failures is refused even with the right password; it works after the block`, async () => {
		const email = 'viewer@meguro.example';
		const { free, block, blockMs } = THROTTLE.account;
		let now = Date.UTC(2026, 4, 1, 9, 0);
		for (let i = 1; i <= block; i++) {
			const result = await attempt(email, 'wrong password', now);
			expect(result, `attempt ${i}`).toEqual({ ok: false, reason: 'invalid' });
			// After the free attempts, each further one must wait: 2 s, 4 s, 8 s…
			now += i >= free ? THROTTLE.firstDelayMs * 2 ** (i - free) : 1000;
		}
		const refused = await attempt(email, PASSWORD, now);
		expect(refused.ok).toBe(false);
		expect(refused).toMatchObject({ reason: 'throttled' });
		const retryAt = (refused as { retryAt: Date }).retryAt.getTime();
		expect(retryAt).toBeGreaterThan(now);
		expect(retryAt).toBeLessThanOrEqual(now + blockMs);

		expect((await attempt(email, PASSWORD, retryAt - 1)).ok).toBe(false);
		expect((await attempt(email, PASSWORD, retryAt)).ok).toBe(true);
		// Success clears the account's count: a later mistake starts again from zero.
		expect(await attempt(email, 'wrong password', retryAt + MINUTE)).toEqual({ ok: false, reason: 'invalid' });
		expect((await attempt(email, PASSWORD, retryAt + MINUTE + 1)).ok).toBe(true);
	});

	it('slows down after the free attempts: an attempt inside the wait is refused without checking', async () => {
		const email = 'editor@meguro.example';
		let now = Date.UTC(2026, 4, 2, 9, 0);
		for (let i = 0; i < THROTTLE.account.free; i++) await attempt(email, 'nope', (now += 1000));
		const early = await attempt(email, PASSWORD, now + 500);
		expect(early).toEqual({ ok: false, reason: 'throttled', retryAt: new Date(now + THROTTLE.firstDelayMs) });
		expect((await attempt(email, PASSWORD, now + THROTTLE.firstDelayMs)).ok).toBe(true);
	});

	it('failures are forgotten once the window is over', async () => {
		const email = 'admin@meguro.example';
		let now = Date.UTC(2026, 4, 3, 9, 0);
		for (let i = 0; i < THROTTLE.account.free + 2; i++) await attempt(email, 'nope', (now += 60_000));
		expect((await attempt(email, PASSWORD, now + 1000)).ok).toBe(false);
		const windowStart = Date.UTC(2026, 4, 3, 9, 1);
		expect((await attempt(email, PASSWORD, windowStart + THROTTLE.account.windowMs)).ok).toBe(true);
	});

	it('an unknown e-mail is throttled exactly like a known one (no hint that it exists)', async () => {
		let now = Date.UTC(2026, 4, 4, 9, 0);
		const answers = [];
		for (const email of ['nobody@nowhere.example', 'viewer@koganei.example']) {
			for (let i = 0; i < THROTTLE.account.free; i++) answers.push(await attempt(email, 'nope', (now += 1000)));
			answers.push(await attempt(email, 'nope', now + 1));
		}
		expect(answers.slice(0, 6).map((a) => ('reason' in a ? a.reason : 'ok'))).toEqual(
			answers.slice(6).map((a) => ('reason' in a ? a.reason : 'ok'))
		);
		expect(answers.at(-1)).toMatchObject({ reason: 'throttled' });
	});

	it('per client address: many accounts guessed from one address are blocked too', async () => {
		const address = '198.51.100.23';
		let now = Date.UTC(2026, 4, 5, 9, 0);
		for (let i = 0; i < THROTTLE.address.block; i++)
			await attempt(`guess${i}@nowhere.example`, 'nope', (now += 60_000 / THROTTLE.address.block), address);
		const refused = await attempt('viewer@tomakomai.example', PASSWORD, now + 1, address);
		expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
		// The same account from another address is fine: its own count is zero.
		expect((await attempt('viewer@tomakomai.example', PASSWORD, now + 1, '192.0.2.1')).ok).toBe(true);
	});

	it('an IPv6 client is counted by its /64', () => {
		expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
		expect(addressKey('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
	});

	it('parallel attempts cannot slip past the limit: each is counted before its password is checked', async () => {
		const email = 'editor@tomakomai.example';
		const now = Date.UTC(2026, 4, 6, 9, 0);
		const parallel = 60;
		const answers = await Promise.all(
			Array.from({ length: parallel }, () => attempt(email, 'wrong password', now, '203.0.113.60'))
		);
		const reasons = answers.map((a) => ('reason' in a ? a.reason : 'ok'));
		// Only the free attempts reach the password check; all others are refused unchecked.
		expect(reasons.filter((r) => r === 'invalid')).toHaveLength(THROTTLE.account.free);
		expect(reasons.filter((r) => r === 'throttled')).toHaveLength(parallel - THROTTLE.account.free);
		// The right password among or right after them does not get in.
		const mixed = await Promise.all([
			attempt(email, 'wrong password', now + 1, '203.0.113.60'),
			attempt(email, PASSWORD, now + 1, '203.0.113.60'),
			attempt(email, 'wrong password', now + 1, '203.0.113.60')
		]);
		expect(mixed.map((a) => a.ok)).toEqual([false, false, false]);
	});

	it('parallel attempts from one address against many accounts stop at the address limit', async () => {
		const address = '198.51.100.99';
		const now = Date.UTC(2026, 4, 7, 9, 0);
		const settled = await Promise.allSettled(
			Array.from({ length: 60 }, (_, i) => attempt(`spray${i}@nowhere.example`, 'nope', now, address))
		);
		// Every answer by kind, so that a failure says what the others were (an error, a throttle).
		const kinds = settled.map((s) =>
			s.status === 'rejected' ? `error: ${String(s.reason).slice(0, 200)}` : 'reason' in s.value ? s.value.reason : 'ok'
		);
		const tally = Object.entries(Object.groupBy(kinds, (k) => k)).map(([k, v]) => `${k} ×${v!.length}`);
		expect(kinds.filter((k) => k === 'invalid').length, tally.join('; ')).toBe(THROTTLE.address.free);
	});

	it('a successful sign-in gives its attempt back to the address', async () => {
		const address = '192.0.2.77';
		let now = Date.UTC(2026, 4, 8, 9, 0);
		// More good sign-ins from one address than it has free failures: none is ever slowed.
		for (let i = 0; i < THROTTLE.address.free + 5; i++)
			expect((await attempt('viewer@koganei.example', PASSWORD, (now += 10), address)).ok, `sign-in ${i}`).toBe(true);
	});
});
