// Sign-in: claim a throttled attempt first, then the password, then a new session. The answer to a wrong e-mail
// and to a wrong password is the same, and takes the same time.
import { eq } from 'drizzle-orm';
import { users } from '@mamori/db/core';
import { hashPassword, verifyNothing, verifyPassword } from './password.ts';
import { createSession, type SessionInfo } from './session.ts';
import type { AuthArgs } from '../context.ts';
import { claimAttempt, releaseAttempt, type Throttled } from './throttle.ts';
import { findUserByEmail, normalizeEmail } from './users.ts';

export type SignInResult =
	{ ok: true; token: string; session: SessionInfo } | { ok: false; reason: 'invalid' } | Throttled;

export async function signIn({
	core,
	input,
	now = Date.now()
}: AuthArgs<{
	email: string;
	password: string;
	address?: string | null;
	userAgent?: string | null;
}>): Promise<SignInResult> {
	const email = normalizeEmail(input.email);
	const keys = { email, address: input.address };
	const throttle = await claimAttempt({ core, keys, now });
	if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAt: throttle.retryAt };

	const user = email ? await findUserByEmail({ core, email }) : undefined;
	const check = user?.passwordHash
		? await verifyPassword(user.passwordHash, input.password)
		: await verifyNothing(input.password).then(() => ({ ok: false, needsRehash: false }));
	if (!user || !check.ok) return { ok: false, reason: 'invalid' }; // counted by the claim
	if (check.needsRehash)
		await core
			.update(users)
			.set({ passwordHash: await hashPassword(input.password) })
			.where(eq(users.id, user.id));
	await releaseAttempt({ core, keys, clearAccount: true });
	const { token, session } = await createSession({ core, userId: user.id, userAgent: input.userAgent ?? null, now });
	return { ok: true, token, session };
}
