import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { changePassword } from './account.ts';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	listSessions,
	revokeOwnSession,
	SESSION,
	validateSessionToken
} from './session.ts';
import { signIn } from './sign-in.ts';
import { sessions } from '@mamori/db/core';
import { eq } from 'drizzle-orm';

const HOUR = 60 * 60 * 1000;

describe('sessions (real sqld)', () => {
	let world: AuthWorld;
	let userId: string;
	beforeAll(async () => {
		world = await authWorld();
		userId = await world.userId('editor@koganei.example');
	});

	it('a token is <id>.<secret>; only the SHA-256 of the secret is stored', async () => {
		const { token, session } = await createSession({ core: world.core, userId });
		expect(token).toMatch(/^[a-km-z2-9]{24}\.[a-km-z2-9]{24}$/);
		const [id, secret] = token.split('.');
		expect(session.id).toBe(id);
		const [row] = await world.core.select().from(sessions).where(eq(sessions.id, id!));
		expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(row)).not.toContain(secret);
	});

	it('validates to the user with memberships and offices; a wrong secret or a bad token is nobody', async () => {
		const { token } = await createSession({ core: world.core, userId });
		const valid = await validateSessionToken({ core: world.core, token });
		expect(valid?.principal).toMatchObject({
			userId,
			email: 'editor@koganei.example',
			isOperator: false,
			memberships: [{ tenantSlug: 'koganei', tenantName: '小金井市', role: 'editor', departmentIds: null }],
			prefectures: []
		});
		const [id] = token.split('.');
		expect(await validateSessionToken({ core: world.core, token: `${id}.${'a'.repeat(24)}` })).toBeNull();
		for (const bad of ['', 'x', `${id}`, `${token}.x`, token.toUpperCase(), `${id}.${'1'.repeat(24)}`])
			expect(await validateSessionToken({ core: world.core, token: bad })).toBeNull();
		const official = await signIn({
			core: world.core,
			input: { email: 'official@tokyo.example', password: PASSWORD }
		});
		expect(official.ok).toBe(true);
		const principal = (await validateSessionToken({ core: world.core, token: official.ok ? official.token : '' }))!
			.principal;
		expect(principal.prefectures).toEqual([{ code: '13', name: '東京都' }]);
		expect(principal.memberships).toEqual([]);
	});

	it('refreshes last_verified_at at most hourly, so a read is not a write', async () => {
		const t0 = Date.UTC(2026, 3, 1, 0, 0);
		const { token, session } = await createSession({ core: world.core, userId, now: t0 });
		const stored = async () =>
			(await world.core.select().from(sessions).where(eq(sessions.id, session.id)))[0]!.lastVerifiedAt.getTime();
		await validateSessionToken({ core: world.core, token, now: t0 + 59 * 60 * 1000 });
		expect(await stored()).toBe(t0);
		await validateSessionToken({ core: world.core, token, now: t0 + HOUR });
		expect(await stored()).toBe(t0 + HOUR);
	});

	it('ends after the inactivity timeout, and the row is gone', async () => {
		const t1 = Date.UTC(2026, 3, 3, 0, 0);
		const busy = await createSession({ core: world.core, userId, now: t1 });
		// Used every hour, it lives past the timeout.
		for (let h = 1; h <= SESSION.inactivityTimeoutMs / HOUR + 2; h++)
			expect(await validateSessionToken({ core: world.core, token: busy.token, now: t1 + h * HOUR })).not.toBeNull();

		const t0 = Date.UTC(2026, 3, 2, 0, 0);
		const { token, session } = await createSession({ core: world.core, userId, now: t0 });
		// Used half an hour in: less than an hour after the last write, so nothing is written and
		// the session counts as idle from t0.
		expect(await validateSessionToken({ core: world.core, token, now: t0 + HOUR / 2 })).not.toBeNull();
		expect(await validateSessionToken({ core: world.core, token, now: t0 + SESSION.inactivityTimeoutMs })).toBeNull();
		expect(await world.core.select().from(sessions).where(eq(sessions.id, session.id))).toEqual([]);
	});

	it('ends at the absolute lifetime however active', async () => {
		const t0 = Date.UTC(2026, 3, 10, 0, 0);
		const { token, session } = await createSession({ core: world.core, userId, now: t0 });
		expect(session.expiresAt.getTime()).toBe(t0 + SESSION.absoluteLifetimeMs);
		let now = t0;
		while (now + HOUR < t0 + SESSION.absoluteLifetimeMs) {
			now += HOUR;
			expect(await validateSessionToken({ core: world.core, token, now })).not.toBeNull();
		}
		expect(await validateSessionToken({ core: world.core, token, now: t0 + SESSION.absoluteLifetimeMs })).toBeNull();
	});

	it('sign-out makes the cookie useless, even to someone who copied it', async () => {
		const { token, session } = await createSession({ core: world.core, userId });
		const stolen = token;
		await invalidateSession({ core: world.core, sessionId: session.id });
		expect(await validateSessionToken({ core: world.core, token: stolen })).toBeNull();
	});

	it('lists my sessions and revokes one of mine, never someone else’s', async () => {
		const me = await world.userId('viewer@meguro.example');
		const other = await world.userId('viewer@koganei.example');
		await invalidateUserSessions({ core: world.core, userId: me });
		const a = await createSession({ core: world.core, userId: me, userAgent: 'Firefox' });
		const b = await createSession({ core: world.core, userId: me, userAgent: 'Edge' });
		const theirs = await createSession({ core: world.core, userId: other });
		const listed = await listSessions({ core: world.core, userId: me });
		expect(listed.map((s) => s.userAgent).sort()).toEqual(['Edge', 'Firefox']);
		await revokeOwnSession({ core: world.core, userId: me, sessionId: theirs.session.id });
		expect(await validateSessionToken({ core: world.core, token: theirs.token })).not.toBeNull();
		await revokeOwnSession({ core: world.core, userId: me, sessionId: a.session.id });
		expect(await validateSessionToken({ core: world.core, token: a.token })).toBeNull();
		expect(await validateSessionToken({ core: world.core, token: b.token })).not.toBeNull();
	});

	it('a password change revokes every session and gives the current browser a new one', async () => {
		const email = 'admin@tomakomai.example';
		const me = await world.userId(email);
		const laptop = await signIn({ core: world.core, input: { email, password: PASSWORD } });
		const phone = await signIn({ core: world.core, input: { email, password: PASSWORD } });
		if (!laptop.ok || !phone.ok) throw new Error('sign-in failed');
		const changed = await changePassword({
			core: world.core,
			input: { userId: me, currentPassword: PASSWORD, newPassword: 'a new passphrase for 苫小牧' }
		});
		expect(changed.ok).toBe(true);
		expect(await validateSessionToken({ core: world.core, token: laptop.token })).toBeNull();
		expect(await validateSessionToken({ core: world.core, token: phone.token })).toBeNull();
		expect(await validateSessionToken({ core: world.core, token: changed.ok ? changed.token : '' })).not.toBeNull();
		expect((await signIn({ core: world.core, input: { email, password: PASSWORD } })).ok).toBe(false);
		expect((await signIn({ core: world.core, input: { email, password: 'a new passphrase for 苫小牧' } })).ok).toBe(
			true
		);
		// A wrong current password or a weak new one changes nothing.
		expect(
			await changePassword({
				core: world.core,
				input: { userId: me, currentPassword: 'nope', newPassword: 'another passphrase' }
			})
		).toEqual({ ok: false, reason: 'wrong_password' });
		expect(
			await changePassword({
				core: world.core,
				input: { userId: me, currentPassword: 'a new passphrase for 苫小牧', newPassword: 'password1' }
			})
		).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
	});
});
