// A city's members and pending invitations, managed by the city's admins.
import { and, asc, count, eq, gt, isNull, ne } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { invitations, memberships, tenantRoles, users } from '@mamori/db/core';
import { issueInvitation } from './invitations.ts';
import { authorize, type Principal, type Target, type TenantRole } from './policy.ts';
import { isEmail, normalizeEmail } from './users.ts';

export type TenantTarget = NonNullable<Target['tenant']>;

export interface MembersContext {
	core: CoreDb;
	principal: Principal | null;
	tenant: TenantTarget;
	now?: number;
}

export type MemberProblem = 'invalid_email' | 'invalid_role' | 'already_member' | 'last_admin' | 'not_found';

/** A refused change to the member list, with a code the web layer turns into words. */
export class MemberError extends Error {
	override readonly name = 'MemberError';
	readonly problem: MemberProblem;
	constructor(problem: MemberProblem) {
		super(problem);
		this.problem = problem;
	}
}

function isRole(value: unknown): value is TenantRole {
	return typeof value === 'string' && (tenantRoles as readonly string[]).includes(value);
}

export async function listMembers({ core, principal, tenant, now = Date.now() }: MembersContext) {
	authorize(principal, 'members.manage', { tenant });
	const [members, pending] = await core.batch([
		core
			.select({
				userId: users.id,
				email: users.email,
				displayName: users.displayName,
				role: memberships.role,
				departmentIds: memberships.departmentIds,
				since: memberships.createdAt
			})
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(eq(memberships.tenantId, tenant.id))
			.orderBy(asc(users.email)),
		core
			.select({
				id: invitations.id,
				email: invitations.email,
				role: invitations.role,
				createdAt: invitations.createdAt,
				expiresAt: invitations.expiresAt
			})
			.from(invitations)
			.where(
				and(
					eq(invitations.tenantId, tenant.id),
					isNull(invitations.acceptedAt),
					gt(invitations.expiresAt, new Date(now))
				)
			)
			.orderBy(asc(invitations.createdAt))
	]);
	return { members, pending };
}

export async function inviteMember(
	ctx: MembersContext,
	input: { email: string; role: string; departmentIds?: string[] | null }
) {
	authorize(ctx.principal, 'members.manage', { tenant: ctx.tenant });
	const email = normalizeEmail(input.email);
	if (!isEmail(email)) throw new MemberError('invalid_email');
	if (!isRole(input.role)) throw new MemberError('invalid_role');
	const [already] = await ctx.core
		.select({ n: count() })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.tenantId, ctx.tenant.id), eq(users.email, email)));
	if (already && already.n > 0) throw new MemberError('already_member');
	return issueInvitation({
		core: ctx.core,
		input: {
			tenantId: ctx.tenant.id,
			email,
			role: input.role,
			departmentIds: input.departmentIds ?? null,
			invitedBy: ctx.principal?.userId ?? null
		},
		...(ctx.now === undefined ? {} : { now: ctx.now })
	});
}

/** Whether `userId` is the city's only admin (who must not leave the city without one). */
async function isLastAdmin(ctx: MembersContext, userId: string): Promise<boolean> {
	const [admins, self] = await ctx.core.batch([
		ctx.core
			.select({ n: count() })
			.from(memberships)
			.where(
				and(eq(memberships.tenantId, ctx.tenant.id), eq(memberships.role, 'admin'), ne(memberships.userId, userId))
			),
		ctx.core
			.select({ role: memberships.role })
			.from(memberships)
			.where(and(eq(memberships.tenantId, ctx.tenant.id), eq(memberships.userId, userId)))
	]);
	return self[0]?.role === 'admin' && (admins[0]?.n ?? 0) === 0;
}

export async function changeMemberRole(
	ctx: MembersContext,
	input: { userId: string; role: string; departmentIds?: string[] | null }
): Promise<void> {
	authorize(ctx.principal, 'members.manage', { tenant: ctx.tenant });
	if (!isRole(input.role)) throw new MemberError('invalid_role');
	if (input.role !== 'admin' && (await isLastAdmin(ctx, input.userId))) throw new MemberError('last_admin');
	// Only editors are limited to departments; without a new list an editor keeps theirs.
	const departments =
		input.role !== 'editor'
			? { departmentIds: null }
			: input.departmentIds === undefined
				? {}
				: { departmentIds: input.departmentIds?.length ? input.departmentIds : null };
	const updated = await ctx.core
		.update(memberships)
		.set({ role: input.role, ...departments })
		.where(and(eq(memberships.tenantId, ctx.tenant.id), eq(memberships.userId, input.userId)))
		.returning({ userId: memberships.userId });
	if (updated.length === 0) throw new MemberError('not_found');
}

/** Takes someone out of the city at once: their next request no longer has the membership. */
export async function removeMember(ctx: MembersContext, input: { userId: string }): Promise<void> {
	authorize(ctx.principal, 'members.manage', { tenant: ctx.tenant });
	if (await isLastAdmin(ctx, input.userId)) throw new MemberError('last_admin');
	const removed = await ctx.core
		.delete(memberships)
		.where(and(eq(memberships.tenantId, ctx.tenant.id), eq(memberships.userId, input.userId)))
		.returning({ userId: memberships.userId });
	if (removed.length === 0) throw new MemberError('not_found');
}

export async function revokeInvitation(ctx: MembersContext, input: { invitationId: string }): Promise<void> {
	authorize(ctx.principal, 'members.manage', { tenant: ctx.tenant });
	await ctx.core
		.delete(invitations)
		.where(
			and(
				eq(invitations.id, input.invitationId),
				eq(invitations.tenantId, ctx.tenant.id),
				isNull(invitations.acceptedAt)
			)
		);
}
