// E-mail addresses as the user key, and the password rules every way of setting one goes through.
import { eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { users } from '@mamori/db/core';
import { hashPassword, passwordProblem, type PasswordProblem } from './password.ts';

/** Trimmed, NFKC (full-width letters typed with the IME become ASCII) and lower-cased. */
export function normalizeEmail(email: string): string {
	return email.normalize('NFKC').trim().toLowerCase();
}

export function isEmail(email: string): boolean {
	return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email);
}

export async function findUserByEmail({ core, email }: { core: CoreDb; email: string }) {
	const rows = await core
		.select()
		.from(users)
		.where(eq(users.email, normalizeEmail(email)))
		.limit(1);
	return rows[0];
}

/** The new password's hash, or why the password is refused. */
export async function newPasswordHash(
	password: string,
	email: string
): Promise<{ ok: true; hash: string } | { ok: false; problem: PasswordProblem }> {
	const problem = passwordProblem(password, { email });
	if (problem) return { ok: false, problem };
	return { ok: true, hash: await hashPassword(password) };
}
