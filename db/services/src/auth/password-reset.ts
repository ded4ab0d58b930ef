// "Forgot your password": a single-use link valid for an hour. Asking never tells whether the
// address has an account; setting the new password signs the user out everywhere.
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { passwordResets, sessions, users } from '@mamori/db/core';
import type { AuthArgs, LinkArgs } from '../context.ts';
import type { WeakPassword } from './password.ts';
import { clearAccountFailures } from './throttle.ts';
import { newToken, parseToken, secretMatches } from './tokens.ts';
import { findUserByEmail, newPasswordHash } from './users.ts';

const MINUTE = 60 * 1000;

export const PASSWORD_RESET = {
	lifetimeMs: 60 * MINUTE,
	/** A second request within this time sends no second mail (no mail-bombing through the form). */
	resendAfterMs: MINUTE
};

/** A reset link for this address, or null (unknown address, or one was just sent). */
export async function requestPasswordReset({
	core,
	input,
	now = Date.now()
}: {
	core: CoreDb;
	input: { email: string };
	now?: number;
}): Promise<{ token: string; email: string; displayName: string; expiresAt: Date } | null> {
	const user = await findUserByEmail({ core, email: input.email });
	if (!user) return null;
	const [last] = await core
		.select({ createdAt: passwordResets.createdAt })
		.from(passwordResets)
		.where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)))
		.orderBy(desc(passwordResets.createdAt))
		.limit(1);
	if (last && now - last.createdAt.getTime() < PASSWORD_RESET.resendAfterMs) return null;
	const { id, token, secretHash } = await newToken();
	const expiresAt = new Date(now + PASSWORD_RESET.lifetimeMs);
	// Only the newest link works: earlier unused ones are withdrawn.
	await core.batch([
		core.delete(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt))),
		core.insert(passwordResets).values({ id, userId: user.id, secretHash, createdAt: new Date(now), expiresAt })
	]);
	return { token, email: user.email, displayName: user.displayName, expiresAt };
}

async function findValid(core: CoreDb, token: string, now: number) {
	const parsed = parseToken(token);
	if (!parsed) return null;
	const [row] = await core
		.select({ id: passwordResets.id, secretHash: passwordResets.secretHash, userId: users.id, email: users.email })
		.from(passwordResets)
		.innerJoin(users, eq(users.id, passwordResets.userId))
		.where(
			and(eq(passwordResets.id, parsed.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date(now)))
		)
		.limit(1);
	if (!row || !(await secretMatches(parsed.secret, row.secretHash))) return null;
	return row;
}

/** Whether a reset link can still be used, and for which address. */
export async function readPasswordReset({
	core,
	token,
	now = Date.now()
}: LinkArgs): Promise<{ email: string } | null> {
	const row = await findValid(core, token, now);
	return row ? { email: row.email } : null;
}

export type ResetResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' } | WeakPassword;

export async function resetPassword({
	core,
	input,
	now = Date.now()
}: AuthArgs<{ token: string; password: string }>): Promise<ResetResult> {
	const row = await findValid(core, input.token, now);
	if (!row) return { ok: false, reason: 'invalid' };
	const next = await newPasswordHash({ core, password: input.password, email: row.email });
	if (!next.ok) return { ok: false, reason: 'weak_password', problem: next.problem };
	// Use the link up first, atomically: of two submissions racing, only one changes the password.
	const used = await core
		.update(passwordResets)
		.set({ usedAt: new Date(now) })
		.where(and(eq(passwordResets.id, row.id), isNull(passwordResets.usedAt)))
		.returning({ id: passwordResets.id });
	if (used.length === 0) return { ok: false, reason: 'invalid' };
	await core.batch([
		core.update(users).set({ passwordHash: next.hash }).where(eq(users.id, row.userId)),
		core.delete(sessions).where(eq(sessions.userId, row.userId))
	]);
	await clearAccountFailures({ core, email: row.email });
	return { ok: true, userId: row.userId };
}
