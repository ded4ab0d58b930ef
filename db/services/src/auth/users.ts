// E-mail addresses as the user key, and the password rules every way of setting one goes through.
import { eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { memberships, municipalities, tenants, users } from '@mamori/db/core';
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

export interface CityNames {
	name: string;
	kana: string;
	slug: string;
}

/** 小金井市, 小金井, こがねいし, こがねい, koganei: what a guess at a city's password starts from. */
export function cityWords(cities: CityNames[]): string[] {
	const bare = (word: string) => word.replace(/[都道府県市区町村しくちょうそん]$/u, '');
	return cities.flatMap((c) => [c.name, bare(c.name), c.kana, bare(c.kana), c.slug]);
}

/**
 * The new password's hash, or why the password is refused. The context words are the account's
 * e-mail, the service, and the names of the cities it belongs to (and of `joining`, the city an
 * invitation is for).
 */
export async function newPasswordHash({
	core,
	password,
	email,
	joining = []
}: {
	core: CoreDb;
	password: string;
	email: string;
	joining?: CityNames[];
}): Promise<{ ok: true; hash: string } | { ok: false; problem: PasswordProblem }> {
	const cities = await core
		.select({ name: municipalities.name, kana: municipalities.kana, slug: tenants.slug })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.innerJoin(tenants, eq(tenants.id, memberships.tenantId))
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.where(eq(users.email, normalizeEmail(email)));
	const problem = passwordProblem(password, { email, words: cityWords([...cities, ...joining]) });
	if (problem) return { ok: false, problem };
	return { ok: true, hash: await hashPassword(password) };
}
