// Sign-in throttling, per account and per client address. A few failures are free; then each
// attempt must wait longer (slowed); then the key is blocked for a while. Attempts that arrive
// while waiting are refused without looking at the password, so even the right password does
// not get through. State lives in the core database: every edge instance sees the same counts.
// An attempt is counted before its password is checked (claimAttempt), so parallel attempts
// cannot slip past the limit between a read and a write.
import { and, eq, or, sql } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { loginThrottles, type throttleScopes } from '@mamori/db/core';
import { verifyPassword } from './password.ts';
import { hashSecret } from './tokens.ts';

export type ThrottleScope = (typeof throttleScopes)[number];

const MINUTE = 60 * 1000;

export interface ThrottleLimits {
	/** Failures are counted from the first one, for this long. */
	windowMs: number;
	/** Failures before attempts are slowed. */
	free: number;
	/** Failures that block the key for `blockMs`: the next attempt is refused. */
	block: number;
	blockMs: number;
}

export const THROTTLE: Record<ThrottleScope, ThrottleLimits> & { firstDelayMs: number } = {
	// One person mistyping does not reach the slow-down; a guesser is stopped after ten tries.
	account: { windowMs: 15 * MINUTE, free: 5, block: 10, blockMs: 15 * MINUTE },
	// A city hall's staff may share one address: more room per address.
	address: { windowMs: 15 * MINUTE, free: 20, block: 50, blockMs: 15 * MINUTE },
	/** The wait after the first slowed failure; it doubles with each further failure. */
	firstDelayMs: 2000
};

export interface ThrottleKeys {
	email: string;
	address: string | null | undefined;
}

/** An IPv6 client usually holds a whole /64: count it as one address. */
export function addressKey(address: string): string {
	const a = address.trim().toLowerCase();
	if (!a.includes(':')) return a;
	const [head = '', tail = ''] = a.split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = a.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

async function keysOf(keys: ThrottleKeys): Promise<{ scope: ThrottleScope; keyHash: string }[]> {
	const out: { scope: ThrottleScope; keyHash: string }[] = [
		{ scope: 'account', keyHash: await hashSecret(`account:${keys.email}`) }
	];
	if (keys.address) out.push({ scope: 'address', keyHash: await hashSecret(`address:${addressKey(keys.address)}`) });
	return out;
}

type Row = typeof loginThrottles.$inferSelect;

/** When this key may try again, or null when it may now. */
function retryAt(row: Row, now: number): number | null {
	const limits = THROTTLE[row.scope];
	if (row.blockedUntil && row.blockedUntil.getTime() > now) return row.blockedUntil.getTime();
	if (now - row.windowStartedAt.getTime() >= limits.windowMs) return null; // the window is over
	if (row.failures < limits.free) return null;
	const delay = THROTTLE.firstDelayMs * 2 ** (row.failures - limits.free);
	const at = row.lastFailureAt.getTime() + delay;
	return at > now ? at : null;
}

export type ThrottleState = { allowed: true } | { allowed: false; retryAt: Date };

/** A verb's answer when the attempt was not allowed. */
export type Throttled = { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Claims one attempt for this e-mail address from this client address, BEFORE the password is
 * looked at: the attempt is counted as a failure at once, by one conditional upsert per key that
 * writes only when the key may try now. Simultaneous attempts are therefore serialised by the
 * database: each sees the count its predecessors left, and those past the limit are refused
 * without a password check. An attempt that then succeeds gives its count back (releaseAttempt).
 */
export async function claimAttempt({
	core,
	keys,
	now = Date.now()
}: {
	core: CoreDb;
	keys: ThrottleKeys;
	now?: number;
}): Promise<ThrottleState> {
	const wanted = await keysOf(keys);
	const statements = wanted.map(({ scope, keyHash }) => {
		const limits = THROTTLE[scope];
		const t = loginThrottles;
		const blocked = sql`(${t.blockedUntil} IS NOT NULL AND ${t.blockedUntil} > ${now})`;
		// A new count starts when the window is over or a block has ended, never during a block.
		const fresh = sql`(NOT ${blocked} AND (${t.windowStartedAt} <= ${now - limits.windowMs} OR ${t.blockedUntil} IS NOT NULL))`;
		// The wait after `free` failures doubles with each further one (as retryAt below).
		const waited = sql`(${t.failures} < ${limits.free} OR ${now} >= ${t.lastFailureAt} + (${THROTTLE.firstDelayMs} << (${t.failures} - ${limits.free})))`;
		return core
			.insert(t)
			.values({
				scope,
				keyHash,
				failures: 1,
				windowStartedAt: new Date(now),
				lastFailureAt: new Date(now),
				blockedUntil: limits.block <= 1 ? new Date(now + limits.blockMs) : null
			})
			.onConflictDoUpdate({
				target: [t.scope, t.keyHash],
				set: {
					failures: sql`CASE WHEN ${fresh} THEN 1 ELSE ${t.failures} + 1 END`,
					windowStartedAt: sql`CASE WHEN ${fresh} THEN ${now} ELSE ${t.windowStartedAt} END`,
					lastFailureAt: sql`${now}`,
					blockedUntil: sql`CASE WHEN NOT ${fresh} AND ${t.failures} + 1 >= ${limits.block} THEN ${now + limits.blockMs} ELSE NULL END`
				},
				// Refused attempts write nothing and so return no row.
				setWhere: sql`${fresh} OR (NOT ${blocked} AND ${waited})`
			})
			.returning({ scope: t.scope });
	});
	const claimed = await core.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
	if (claimed.every((rows) => rows.length === 1)) return { allowed: true };
	// Refused: say until when (a read only on this path). A key that was claimed gives it back.
	const refusedKeys = wanted.filter((_, i) => claimed[i]!.length === 0);
	const grantedKeys = wanted.filter((_, i) => claimed[i]!.length === 1);
	// Writes first: a batch that reads before it writes could not take the write lock.
	const results = await core.batch([
		...grantedKeys.map((k) => refund(core, k)),
		core
			.select()
			.from(loginThrottles)
			.where(
				or(...refusedKeys.map((k) => and(eq(loginThrottles.scope, k.scope), eq(loginThrottles.keyHash, k.keyHash))))
			)
	] as unknown as [ReturnType<typeof refund>]);
	const rows = results.at(-1) as unknown as Row[];
	const waits = rows.map((r) => retryAt(r, now) ?? now + THROTTLE.firstDelayMs);
	return { allowed: false, retryAt: new Date(Math.max(...waits)) };
}

function refund(core: CoreDb, key: { scope: ThrottleScope; keyHash: string }) {
	return core
		.update(loginThrottles)
		.set({ failures: sql`MAX(${loginThrottles.failures} - 1, 0)` })
		.where(and(eq(loginThrottles.scope, key.scope), eq(loginThrottles.keyHash, key.keyHash)));
}

/**
 * The claimed attempt succeeded: its count is given back. After a sign-in the account's count is
 * cleared altogether (`clearAccount`); the address's is only given back, so that one good account
 * does not let a guesser reset the count of the address it guesses from.
 */
export async function releaseAttempt({
	core,
	keys,
	clearAccount = false
}: {
	core: CoreDb;
	keys: ThrottleKeys;
	clearAccount?: boolean;
}): Promise<void> {
	const [account, ...others] = await keysOf(keys);
	await core.batch([
		clearAccount
			? core
					.delete(loginThrottles)
					.where(and(eq(loginThrottles.scope, 'account'), eq(loginThrottles.keyHash, account!.keyHash)))
			: refund(core, account!),
		...others.map((k) => refund(core, k))
	]);
}

/** A successful sign-in clears the account's count (not the address's: one good account must not
 * let a guesser reset the count of the address it guesses from). */
export async function clearAccountFailures({ core, email }: { core: CoreDb; email: string }): Promise<void> {
	const [account] = await keysOf({ email, address: null });
	await core
		.delete(loginThrottles)
		.where(and(eq(loginThrottles.scope, 'account'), eq(loginThrottles.keyHash, account!.keyHash)));
}

/**
 * Checks the current password of an account under the sign-in throttle (a password change, an
 * invitation accepted by an existing account): claimed first, given back only when it is right.
 */
export async function checkPasswordThrottled(
	core: CoreDb,
	account: { email: string; passwordHash: string | null },
	typed: { password: string; address?: string | null },
	now: number
): Promise<{ ok: true } | Throttled | { ok: false; reason: 'wrong_password' }> {
	if (!account.passwordHash) return { ok: false, reason: 'wrong_password' };
	const keys = { email: account.email, address: typed.address };
	const throttle = await claimAttempt({ core, keys, now });
	if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAt: throttle.retryAt };
	if (!(await verifyPassword(account.passwordHash, typed.password)).ok) return { ok: false, reason: 'wrong_password' }; // counted by the claim
	await releaseAttempt({ core, keys });
	return { ok: true };
}
