// A signed-in user's own account: changing the password signs out every session, and the
// caller receives a fresh one for the browser in use.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@mamori/db/core';
import { displayName } from '../domain/fields.ts';
import { parseInput } from '../errors.ts';
import type { AuthArgs } from '../context.ts';
import type { WeakPassword } from './password.ts';
import { createSession, invalidateUserSessions, type SessionInfo } from './session.ts';
import { checkPasswordThrottled, type Throttled } from './throttle.ts';
import { newPasswordHash } from './users.ts';

export type ChangePasswordResult =
	| { ok: true; token: string; session: SessionInfo }
	| { ok: false; reason: 'wrong_password' }
	| Throttled
	| WeakPassword;

export async function changePassword({
	core,
	input,
	now = Date.now()
}: AuthArgs<{
	userId: string;
	currentPassword: string;
	newPassword: string;
	address?: string | null;
	userAgent?: string | null;
}>): Promise<ChangePasswordResult> {
	const [user] = await core.select().from(users).where(eq(users.id, input.userId)).limit(1);
	if (!user?.passwordHash) return { ok: false, reason: 'wrong_password' };
	// A stolen session must not become a way to guess the password: same throttle as sign-in.
	const check = await checkPasswordThrottled(
		core,
		user,
		{ password: input.currentPassword, address: input.address },
		now
	);
	if (!check.ok) return check;
	const next = await newPasswordHash({ core, password: input.newPassword, email: user.email });
	if (!next.ok) return { ok: false, reason: 'weak_password', problem: next.problem };
	await core.update(users).set({ passwordHash: next.hash }).where(eq(users.id, user.id));
	await invalidateUserSessions({ core, userId: user.id });
	const { token, session } = await createSession({ core, userId: user.id, userAgent: input.userAgent ?? null, now });
	return { ok: true, token, session };
}

const displayNameInput = z.object({ displayName });

/** Renames the signed-in user as others see them (members list, history); the e-mail stays. */
export async function changeDisplayName({
	core,
	input: raw,
	userId
}: AuthArgs<unknown> & { userId: string }): Promise<{ displayName: string }> {
	const input = parseInput(displayNameInput, raw);
	await core.update(users).set({ displayName: input.displayName }).where(eq(users.id, userId));
	return { displayName: input.displayName };
}
