// Sessions as Lucia's author now teaches them (lucia-auth.com, "Sessions"): the token is
// `<id>.<secret>`; the row is found by id and the SHA-256 of the secret compared in constant time.
// A session ends after a period without use (refreshed at most hourly, so a read is not a write),
// at an absolute lifetime whatever the use, at sign-out, and on a password change.
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import {
	memberships,
	municipalities,
	prefectureOfficials,
	prefectures,
	sessions,
	tenants,
	users
} from '@mamori/db/core';
import { withCity } from '../tenants/tenants.ts';
import type { Principal } from './policy.ts';
import { newToken, parseToken, secretMatches } from './tokens.ts';

const HOUR = 60 * 60 * 1000;

export const SESSION = {
	/** Signed out after this long without a request. */
	inactivityTimeoutMs: 8 * HOUR,
	/** last_verified_at is written at most this often. */
	activityCheckIntervalMs: HOUR,
	/** Signed out this long after sign-in, however active. */
	absoluteLifetimeMs: 7 * 24 * HOUR
};

export interface SessionInfo {
	id: string;
	userId: string;
	createdAt: Date;
	lastVerifiedAt: Date;
	/** When the absolute lifetime ends (the cookie expires then too). */
	expiresAt: Date;
}

type Clock = { now?: number };

export async function createSession({
	core,
	userId,
	userAgent,
	now = Date.now()
}: { core: CoreDb; userId: string; userAgent?: string | null } & Clock): Promise<{
	token: string;
	session: SessionInfo;
}> {
	const { id, token, secretHash } = await newToken();
	const at = new Date(now);
	await core.insert(sessions).values({
		id,
		userId,
		secretHash,
		createdAt: at,
		lastVerifiedAt: at,
		userAgent: userAgent?.slice(0, 300) ?? null
	});
	return {
		token,
		session: { id, userId, createdAt: at, lastVerifiedAt: at, expiresAt: new Date(now + SESSION.absoluteLifetimeMs) }
	};
}

export interface ValidSession {
	session: SessionInfo;
	principal: Principal;
}

/** The queries that read a session and everything the authoriser needs about its user (one batch). */
export function sessionQueries(core: CoreDb, sessionId: string) {
	const owner = sql`(SELECT ${sessions.userId} FROM ${sessions} WHERE ${sessions.id} = ${sessionId})`;
	return [
		core
			.select({
				id: sessions.id,
				userId: sessions.userId,
				secretHash: sessions.secretHash,
				createdAt: sessions.createdAt,
				lastVerifiedAt: sessions.lastVerifiedAt,
				email: users.email,
				displayName: users.displayName,
				isOperator: users.isOperator
			})
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(eq(sessions.id, sessionId)),
		withCity(
			core
				.select({
					tenantId: memberships.tenantId,
					tenantSlug: tenants.slug,
					tenantName: municipalities.name,
					role: memberships.role,
					departmentIds: memberships.departmentIds
				})
				.from(memberships)
				.$dynamic(),
			memberships.tenantId
		)
			.where(eq(memberships.userId, owner))
			.orderBy(municipalities.code),
		core
			.select({ code: prefectureOfficials.prefectureCode, name: prefectures.name })
			.from(prefectureOfficials)
			.innerJoin(prefectures, eq(prefectures.code, prefectureOfficials.prefectureCode))
			.where(eq(prefectureOfficials.userId, owner))
			.orderBy(prefectureOfficials.prefectureCode)
	] as const;
}

const readSessionRows = (core: CoreDb, sessionId: string) => core.batch(sessionQueries(core, sessionId));
/** What the batch of `sessionQueries` answers. */
export type SessionRows = Awaited<ReturnType<typeof readSessionRows>>;

/**
 * The session the rows of `sessionQueries` describe, when the token's secret matches and it is
 * neither idle too long nor too old (else its row is deleted and null returned); refreshes its
 * last use at most hourly.
 */
export async function sessionOf(
	core: CoreDb,
	secret: string,
	[rows, memberRows, officialRows]: SessionRows,
	now: number
): Promise<ValidSession | null> {
	const row = rows[0];
	if (!row || !(await secretMatches(secret, row.secretHash))) return null;

	const created = row.createdAt.getTime();
	const lastVerified = row.lastVerifiedAt.getTime();
	if (now - lastVerified >= SESSION.inactivityTimeoutMs || now - created >= SESSION.absoluteLifetimeMs) {
		await invalidateSession({ core, sessionId: row.id });
		return null;
	}
	let lastVerifiedAt = row.lastVerifiedAt;
	if (now - lastVerified >= SESSION.activityCheckIntervalMs) {
		lastVerifiedAt = new Date(now);
		await core.update(sessions).set({ lastVerifiedAt }).where(eq(sessions.id, row.id));
	}
	return {
		session: {
			id: row.id,
			userId: row.userId,
			createdAt: row.createdAt,
			lastVerifiedAt,
			expiresAt: new Date(created + SESSION.absoluteLifetimeMs)
		},
		principal: {
			userId: row.userId,
			email: row.email,
			displayName: row.displayName,
			isOperator: row.isOperator,
			memberships: memberRows.map((m) => ({ ...m, departmentIds: m.departmentIds ?? null })),
			prefectures: officialRows
		}
	};
}

/**
 * The session and everything the authoriser needs about its user, in one round trip; null when
 * the token is malformed, unknown, wrong, idle too long or too old (the row is then deleted).
 * A request that also needs its city reads both at once: readRequestContext (request.ts).
 */
export async function validateSessionToken({
	core,
	token,
	now = Date.now()
}: { core: CoreDb; token: string | null | undefined } & Clock): Promise<ValidSession | null> {
	const parsed = parseToken(token);
	if (!parsed) return null;
	return sessionOf(core, parsed.secret, await readSessionRows(core, parsed.id), now);
}

export async function invalidateSession({ core, sessionId }: { core: CoreDb; sessionId: string }): Promise<void> {
	await core.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs the user out everywhere, or everywhere but `exceptSessionId`. */
export async function invalidateUserSessions({
	core,
	userId,
	exceptSessionId
}: {
	core: CoreDb;
	userId: string;
	exceptSessionId?: string;
}): Promise<void> {
	await core
		.delete(sessions)
		.where(
			exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId)
		);
}

/** "My sessions": where the user is signed in, newest first. Expired ones are not shown. */
export async function listSessions({
	core,
	userId,
	now = Date.now()
}: { core: CoreDb; userId: string } & Clock): Promise<
	{ id: string; createdAt: Date; lastVerifiedAt: Date; userAgent: string | null }[]
> {
	const rows = await core
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			lastVerifiedAt: sessions.lastVerifiedAt,
			userAgent: sessions.userAgent
		})
		.from(sessions)
		.where(eq(sessions.userId, userId))
		.orderBy(desc(sessions.lastVerifiedAt));
	return rows.filter(
		(s) =>
			now - s.lastVerifiedAt.getTime() < SESSION.inactivityTimeoutMs &&
			now - s.createdAt.getTime() < SESSION.absoluteLifetimeMs
	);
}

/** Ends one of the user's own sessions; another user's session id does nothing. */
export async function revokeOwnSession({
	core,
	userId,
	sessionId
}: {
	core: CoreDb;
	userId: string;
	sessionId: string;
}): Promise<void> {
	await core.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}
