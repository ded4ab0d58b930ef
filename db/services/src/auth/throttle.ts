// Sign-in throttling, per account and per client address. A few failures are free; then each
// attempt must wait longer (slowed); then the key is blocked for a while. Attempts that arrive
// while waiting are refused without looking at the password, so even the right password does
// not get through. State lives in the core database: every edge instance sees the same counts,
// and each failure is counted by one atomic upsert.
import { and, eq, or, sql } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { loginThrottles, type throttleScopes } from '@mamori/db/core';
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

/** Whether a sign-in may be attempted now for this e-mail address from this client address. */
export async function checkThrottle({
	core,
	keys,
	now = Date.now()
}: {
	core: CoreDb;
	keys: ThrottleKeys;
	now?: number;
}): Promise<ThrottleState> {
	const wanted = await keysOf(keys);
	const rows = await core
		.select()
		.from(loginThrottles)
		.where(or(...wanted.map((k) => and(eq(loginThrottles.scope, k.scope), eq(loginThrottles.keyHash, k.keyHash)))));
	const waits = rows.map((r) => retryAt(r, now)).filter((t): t is number => t !== null);
	return waits.length === 0 ? { allowed: true } : { allowed: false, retryAt: new Date(Math.max(...waits)) };
}

/** Counts one failed attempt against the account and the address (atomically, per key). */
export async function recordFailure({
	core,
	keys,
	now = Date.now()
}: {
	core: CoreDb;
	keys: ThrottleKeys;
	now?: number;
}): Promise<void> {
	const statements = (await keysOf(keys)).map(({ scope, keyHash }) => {
		const limits = THROTTLE[scope];
		// A new count starts when the window is over or a block has ended.
		const fresh = sql`(${loginThrottles.windowStartedAt} <= ${now - limits.windowMs} OR (${loginThrottles.blockedUntil} IS NOT NULL AND ${loginThrottles.blockedUntil} <= ${now}))`;
		return core
			.insert(loginThrottles)
			.values({
				scope,
				keyHash,
				failures: 1,
				windowStartedAt: new Date(now),
				lastFailureAt: new Date(now),
				blockedUntil: limits.block <= 1 ? new Date(now + limits.blockMs) : null
			})
			.onConflictDoUpdate({
				target: [loginThrottles.scope, loginThrottles.keyHash],
				set: {
					failures: sql`CASE WHEN ${fresh} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
					windowStartedAt: sql`CASE WHEN ${fresh} THEN ${now} ELSE ${loginThrottles.windowStartedAt} END`,
					lastFailureAt: sql`${now}`,
					blockedUntil: sql`CASE WHEN NOT ${fresh} AND ${loginThrottles.failures} + 1 >= ${limits.block} THEN ${now + limits.blockMs} ELSE NULL END`
				}
			});
	});
	await core.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
}

/** A successful sign-in clears the account's count (not the address's: one good account must not
 * let a guesser reset the count of the address it guesses from). */
export async function clearAccountFailures({ core, email }: { core: CoreDb; email: string }): Promise<void> {
	const [account] = await keysOf({ email, address: null });
	await core
		.delete(loginThrottles)
		.where(and(eq(loginThrottles.scope, 'account'), eq(loginThrottles.keyHash, account!.keyHash)));
}
