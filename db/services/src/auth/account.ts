// A signed-in user's own account: changing the password signs out every session, and the
// caller receives a fresh one for the browser in use.
import { eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { users } from '@mamori/db/core';
import type { PasswordProblem } from './password.ts';
import { verifyPassword } from './password.ts';
import { createSession, invalidateUserSessions, type SessionInfo } from './session.ts';
import { claimAttempt, releaseAttempt } from './throttle.ts';
import { newPasswordHash } from './users.ts';

export type ChangePasswordResult =
	| { ok: true; token: string; session: SessionInfo }
	| { ok: false; reason: 'wrong_password' }
	| { ok: false; reason: 'throttled'; retryAt: Date }
	| { ok: false; reason: 'weak_password'; problem: PasswordProblem };

export async function changePassword({
	core,
	input,
	now = Date.now()
}: {
	core: CoreDb;
	input: {
		userId: string;
		currentPassword: string;
		newPassword: string;
		address?: string | null;
		userAgent?: string | null;
	};
	now?: number;
}): Promise<ChangePasswordResult> {
	const [user] = await core.select().from(users).where(eq(users.id, input.userId)).limit(1);
	if (!user?.passwordHash) return { ok: false, reason: 'wrong_password' };
	// A stolen session must not become a way to guess the password: same throttle as sign-in.
	const keys = { email: user.email, address: input.address };
	const throttle = await claimAttempt({ core, keys, now });
	if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAt: throttle.retryAt };
	if (!(await verifyPassword(user.passwordHash, input.currentPassword)).ok) {
		return { ok: false, reason: 'wrong_password' }; // counted by the claim
	}
	await releaseAttempt({ core, keys });
	const next = await newPasswordHash(input.newPassword, user.email);
	if (!next.ok) return { ok: false, reason: 'weak_password', problem: next.problem };
	await core.update(users).set({ passwordHash: next.hash }).where(eq(users.id, user.id));
	await invalidateUserSessions({ core, userId: user.id });
	const { token, session } = await createSession({ core, userId: user.id, userAgent: input.userAgent ?? null, now });
	return { ok: true, token, session };
}
