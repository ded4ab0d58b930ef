// Invitations to a city: a single-use link valid for seven days, for one e-mail address and role.
// Accepting creates the account (name and password) or, for someone who already has one, asks
// for that account's password; either way the invited role is granted.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { invitations, memberships, municipalities, tenants, users } from '@mamori/db/core';
import { newId } from '@mamori/db';
import type { AuthArgs, LinkArgs } from '../context.ts';
import type { WeakPassword } from './password.ts';
import type { TenantRole } from './policy.ts';
import { checkPasswordThrottled, type Throttled } from './throttle.ts';
import { newToken, parseToken, secretMatches } from './tokens.ts';
import { withCity } from '../tenants/tenants.ts';
import { findUserByEmail, newPasswordHash, normalizeEmail } from './users.ts';
import { displayName as displayNameField, posesAsRole } from '../domain/fields.ts';

export const INVITATION = { lifetimeMs: 7 * 24 * 60 * 60 * 1000 };

export interface InvitationInput {
	tenantId: string;
	email: string;
	role: TenantRole;
	departmentIds?: string[] | null;
	invitedBy: string | null;
}

/**
 * Issues an invitation (no permission check: callers are the authorised services
 * `inviteMember` and `inviteFirstAdmin`). A newer invitation of the same address to the same
 * city replaces an earlier one that was not accepted.
 */
export async function issueInvitation({
	core,
	input,
	now = Date.now()
}: {
	core: CoreDb;
	input: InvitationInput;
	now?: number;
}): Promise<{ id: string; token: string; email: string; expiresAt: Date }> {
	const email = normalizeEmail(input.email);
	const { id, token, secretHash } = await newToken();
	const expiresAt = new Date(now + INVITATION.lifetimeMs);
	const departmentIds = input.role === 'editor' && input.departmentIds?.length ? input.departmentIds : null;
	await core.batch([
		core
			.delete(invitations)
			.where(
				and(eq(invitations.tenantId, input.tenantId), eq(invitations.email, email), isNull(invitations.acceptedAt))
			),
		core.insert(invitations).values({
			id,
			tenantId: input.tenantId,
			email,
			role: input.role,
			departmentIds,
			secretHash,
			invitedBy: input.invitedBy,
			createdAt: new Date(now),
			expiresAt
		})
	]);
	return { id, token, email, expiresAt };
}

async function findValid(core: CoreDb, token: string, now: number) {
	const parsed = parseToken(token);
	if (!parsed) return null;
	const [row] = await withCity(
		core
			.select({
				id: invitations.id,
				secretHash: invitations.secretHash,
				tenantId: invitations.tenantId,
				tenantSlug: tenants.slug,
				tenantName: municipalities.name,
				tenantKana: municipalities.kana,
				tenantStatus: tenants.status,
				email: invitations.email,
				role: invitations.role,
				departmentIds: invitations.departmentIds
			})
			.from(invitations)
			.$dynamic(),
		invitations.tenantId
	)
		.where(and(eq(invitations.id, parsed.id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date(now))))
		.limit(1);
	if (!row || !(await secretMatches(parsed.secret, row.secretHash))) return null;
	return row;
}

export interface InvitationView {
	tenantSlug: string;
	tenantName: string;
	email: string;
	role: TenantRole;
	/** The address already has an account with a password: accepting asks for it. */
	hasAccount: boolean;
}

/** What an invitation link offers, or null when it is unknown, used or expired. */
export async function readInvitation({ core, token, now = Date.now() }: LinkArgs): Promise<InvitationView | null> {
	const row = await findValid(core, token, now);
	if (!row) return null;
	const user = await findUserByEmail({ core, email: row.email });
	return {
		tenantSlug: row.tenantSlug,
		tenantName: row.tenantName,
		email: row.email,
		role: row.role,
		hasAccount: Boolean(user?.passwordHash)
	};
}

export type AcceptResult =
	| { ok: true; userId: string; tenantSlug: string }
	| { ok: false; reason: 'invalid' | 'wrong_password' | 'name_required' | 'name_imitates' }
	| Throttled
	| WeakPassword;

export async function acceptInvitation({
	core,
	input,
	now = Date.now()
}: AuthArgs<{
	token: string;
	password: string;
	displayName?: string | null;
	address?: string | null;
}>): Promise<AcceptResult> {
	const invitation = await findValid(core, input.token, now);
	if (!invitation) return { ok: false, reason: 'invalid' };
	const existing = await findUserByEmail({ core, email: invitation.email });

	let userId: string;
	let createUser: { passwordHash: string; displayName: string } | null = null;
	if (existing?.passwordHash) {
		const check = await checkPasswordThrottled(core, existing, input, now);
		if (!check.ok) return check;
		userId = existing.id;
	} else {
		const name = displayNameField.safeParse(input.displayName ?? '');
		if (!name.success)
			return { ok: false, reason: posesAsRole(input.displayName ?? '') ? 'name_imitates' : 'name_required' };
		const displayName = name.data;
		const next = await newPasswordHash({
			core,
			password: input.password,
			email: invitation.email,
			joining: [{ name: invitation.tenantName, kana: invitation.tenantKana, slug: invitation.tenantSlug }]
		});
		if (!next.ok) return { ok: false, reason: 'weak_password', problem: next.problem };
		userId = existing?.id ?? newId(now);
		createUser = { passwordHash: next.hash, displayName };
	}

	// Use the invitation up first, atomically: a link accepted twice grants once.
	const used = await core
		.update(invitations)
		.set({ acceptedAt: new Date(now), acceptedBy: existing?.id ?? null })
		.where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
		.returning({ id: invitations.id });
	if (used.length === 0) return { ok: false, reason: 'invalid' };

	const membership = { role: invitation.role, departmentIds: invitation.departmentIds ?? null };
	await core.batch([
		createUser
			? core
					.insert(users)
					.values({ id: userId, email: invitation.email, ...createUser })
					.onConflictDoUpdate({ target: users.id, set: createUser })
			: core.select({ id: users.id }).from(users).where(eq(users.id, userId)),
		core
			.insert(memberships)
			.values({ userId, tenantId: invitation.tenantId, ...membership })
			.onConflictDoUpdate({ target: [memberships.userId, memberships.tenantId], set: membership }),
		core.update(invitations).set({ acceptedBy: userId }).where(eq(invitations.id, invitation.id))
	]);
	return { ok: true, userId, tenantSlug: invitation.tenantSlug };
}
