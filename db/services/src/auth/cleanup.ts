// Credentials that can no longer be used: sessions past their inactivity timeout or absolute
// lifetime, invitations and password resets past their expiry (used or not), and cities' API
// tokens past their expiry or revoked. Signing in,
// accepting and resetting already refuse them; deleting them keeps the core's tables small and
// keeps no secret hash longer than it serves. The API worker runs this every night.
import { inArray, isNotNull, lte, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { CoreDb } from '@mamori/db';
import { apiTokens, invitations, passwordResets, sessions } from '@mamori/db/core';
import { SESSION } from './session.ts';

export const CLEANUP = {
	/** Rows deleted per table per statement: one statement never holds the core's write lock long. */
	chunk: 500,
	/** Statements per table in one run; whatever is left waits for the next night. */
	maxChunks: 20
};

export interface CleanupReport {
	sessions: number;
	invitations: number;
	passwordResets: number;
	apiTokens: number;
	/** False when the bound was reached and expired rows may remain. */
	complete: boolean;
}

/**
 * Deletes expired sessions, invitations, password resets and API tokens (and revoked tokens), at most `chunk × maxChunks` rows of
 * each. Idempotent: what it deletes could not be used, so running it again (a retried cron) only
 * finds less to delete.
 */
export async function deleteExpiredCredentials({
	core,
	now = Date.now(),
	chunk = CLEANUP.chunk,
	maxChunks = CLEANUP.maxChunks
}: {
	core: CoreDb;
	now?: number;
	chunk?: number;
	maxChunks?: number;
}): Promise<CleanupReport> {
	// The same conditions under which validateSessionToken, findValid and the reset refuse a token.
	const expired = {
		sessions: or(
			lte(sessions.lastVerifiedAt, new Date(now - SESSION.inactivityTimeoutMs)),
			lte(sessions.createdAt, new Date(now - SESSION.absoluteLifetimeMs))
		)!,
		invitations: lte(invitations.expiresAt, new Date(now)),
		passwordResets: lte(passwordResets.expiresAt, new Date(now)),
		// As authenticateApiToken refuses them; the admin's list shows them until then.
		apiTokens: or(lte(apiTokens.expiresAt, new Date(now)), isNotNull(apiTokens.revokedAt))!
	};
	const someOf = (table: SQLiteTable & { id: SQLiteColumn }, where: SQL) =>
		core.delete(table).where(inArray(table.id, core.select({ id: table.id }).from(table).where(where).limit(chunk)));

	const report: CleanupReport = { sessions: 0, invitations: 0, passwordResets: 0, apiTokens: 0, complete: false };
	for (let round = 0; round < maxChunks; round++) {
		const [s, i, p, t] = await core.batch([
			someOf(sessions, expired.sessions),
			someOf(invitations, expired.invitations),
			someOf(passwordResets, expired.passwordResets),
			someOf(apiTokens, expired.apiTokens)
		]);
		report.sessions += s.rowsAffected;
		report.invitations += i.rowsAffected;
		report.passwordResets += p.rowsAffected;
		report.apiTokens += t.rowsAffected;
		if ([s, i, p, t].every((r) => r.rowsAffected < chunk)) {
			report.complete = true;
			break;
		}
	}
	return report;
}
