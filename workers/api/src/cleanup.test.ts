// The scheduled handler inside workerd: the nightly cron deletes, over HTTP to a real sqld, the
// sessions, invitations, password resets and API tokens that can no longer be used, and nothing else.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId, openCore, type CoreDb } from '@mamori/db';
import { apiTokens, invitations, passwordResets, sessions, tenants, users } from '@mamori/db/core';
import { deleteExpiredCredentials, SESSION } from '@mamori/services/auth';
import worker, { crons } from './index.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('the scheduled cleanup of expired credentials in workerd', () => {
	let core: CoreDb;
	const userId = newId();
	const email = `cleanup-${userId.toLowerCase()}@test.example`;
	// Real time: other test files use the same core, and their fresh sessions must stay.
	const now = Date.now();
	const ids = {
		idleSession: newId(),
		oldSession: newId(),
		liveSession: newId(),
		nearlyIdleSession: newId(),
		expiredInvitation: newId(),
		acceptedExpiredInvitation: newId(),
		liveInvitation: newId(),
		expiredReset: newId(),
		usedExpiredReset: newId(),
		liveReset: newId(),
		expiredToken: newId(),
		revokedToken: newId(),
		liveToken: newId()
	};
	const expired = [
		ids.idleSession,
		ids.oldSession,
		ids.expiredInvitation,
		ids.acceptedExpiredInvitation,
		ids.expiredReset,
		ids.usedExpiredReset,
		ids.expiredToken,
		ids.revokedToken
	];
	const live = [ids.liveSession, ids.nearlyIdleSession, ids.liveInvitation, ids.liveReset, ids.liveToken];

	const session = (id: string, createdAgo: number, verifiedAgo: number) => ({
		id,
		userId,
		secretHash: 'f'.repeat(64),
		createdAt: new Date(now - createdAgo),
		lastVerifiedAt: new Date(now - verifiedAgo)
	});
	const remaining = async () => {
		const [s, i, p, t] = await core.batch([
			core.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)),
			core.select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)),
			core.select({ id: passwordResets.id }).from(passwordResets).where(eq(passwordResets.userId, userId)),
			core.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.createdBy, userId))
		]);
		return [...s, ...i, ...p, ...t].map((r) => r.id).sort();
	};
	const scheduled = async () => {
		const ctx = createExecutionContext();
		await worker.scheduled(
			createScheduledController({ cron: crons.cleanup, scheduledTime: now }),
			{ ...env, CORE_DATABASE_URL: inject('coreUrl') },
			ctx
		);
		await waitOnExecutionContext(ctx);
	};

	beforeAll(async () => {
		core = openCore({ url: inject('coreUrl') });
		const [tenant] = await core.select({ id: tenants.id }).from(tenants).where(eq(tenants.municipalityCode, '132101'));
		const invitation = (id: string, expiresIn: number, accepted = false) => ({
			id,
			tenantId: tenant!.id,
			email,
			role: 'viewer' as const,
			secretHash: 'f'.repeat(64),
			createdAt: new Date(now - 8 * DAY),
			expiresAt: new Date(now + expiresIn),
			...(accepted ? { acceptedAt: new Date(now - 7 * DAY), acceptedBy: userId } : {})
		});
		const reset = (id: string, expiresIn: number, used = false) => ({
			id,
			userId,
			secretHash: 'f'.repeat(64),
			createdAt: new Date(now + expiresIn - 60 * MINUTE),
			expiresAt: new Date(now + expiresIn),
			...(used ? { usedAt: new Date(now + expiresIn - 30 * MINUTE) } : {})
		});
		const token = (id: string, expiresIn: number, revoked = false) => ({
			id,
			tenantId: tenant!.id,
			name: `cleanup ${id}`,
			scope: 'read' as const,
			secretHash: 'f'.repeat(64),
			createdBy: userId,
			createdAt: new Date(now - 30 * DAY),
			expiresAt: new Date(now + expiresIn),
			...(revoked ? { revokedAt: new Date(now - DAY) } : {})
		});
		await core.batch([
			core.insert(users).values({ id: userId, email, displayName: 'cleanup test' }),
			core
				.insert(sessions)
				.values([
					session(ids.idleSession, SESSION.inactivityTimeoutMs + 2 * MINUTE, SESSION.inactivityTimeoutMs + MINUTE),
					session(ids.oldSession, SESSION.absoluteLifetimeMs + MINUTE, MINUTE),
					session(ids.liveSession, 60 * MINUTE, 5 * MINUTE),
					session(ids.nearlyIdleSession, SESSION.inactivityTimeoutMs, SESSION.inactivityTimeoutMs - MINUTE)
				]),
			core
				.insert(invitations)
				.values([
					invitation(ids.expiredInvitation, -MINUTE),
					invitation(ids.acceptedExpiredInvitation, -DAY, true),
					invitation(ids.liveInvitation, DAY)
				]),
			core
				.insert(passwordResets)
				.values([
					reset(ids.expiredReset, -MINUTE),
					reset(ids.usedExpiredReset, -MINUTE, true),
					reset(ids.liveReset, 30 * MINUTE)
				]),
			core
				.insert(apiTokens)
				.values([
					token(ids.expiredToken, -MINUTE),
					token(ids.revokedToken, 60 * DAY, true),
					token(ids.liveToken, MINUTE)
				])
		]);
	});

	afterAll(async () => {
		// Sessions and resets go with the user (ON DELETE CASCADE).
		await core.batch([
			core.delete(apiTokens).where(eq(apiTokens.createdBy, userId)),
			core.delete(invitations).where(eq(invitations.email, email)),
			core.delete(users).where(eq(users.id, userId))
		]);
		core.$client.close();
	});

	it('starts with every seeded row', async () => {
		expect(await remaining()).toEqual([...expired, ...live].sort());
	});

	it('deletes in bounded chunks, and says when rows remain', async () => {
		// One row of each kind: each has two expired rows here, so some remain.
		const first = await deleteExpiredCredentials({ core, now, chunk: 1, maxChunks: 1 });
		expect(first).toEqual({ sessions: 1, invitations: 1, passwordResets: 1, apiTokens: 1, complete: false });
		const rows = await remaining();
		expect(rows).toEqual(expect.arrayContaining(live));
		// The deleted ones may be another test file's expired rows, never more than one of each.
		expect(rows.length).toBeGreaterThanOrEqual(live.length + expired.length - 4);
	});

	it('the nightly cron deletes only the expired rows', async () => {
		await scheduled();
		expect(await remaining()).toEqual([...live].sort());
	});

	it('running again (a retried cron) deletes nothing more', async () => {
		await scheduled();
		expect(await remaining()).toEqual([...live].sort());
		const again = await deleteExpiredCredentials({ core, now });
		expect(again.complete).toBe(true);
		expect(await remaining()).toEqual([...live].sort());
	});
});
