// A city's members and pending invitations, managed by the city's admins.
import { and, asc, count, eq, gt, isNull, ne } from 'drizzle-orm';
import { historyJournal, invitations, memberships, tenantRoles, users } from '@mamori/db/core';
import { z } from 'zod';
import type { TenantDb } from '@mamori/db';
import { departments } from '@mamori/db/tenant';
import type { CoreContext, TenantTarget } from '../context.ts';
import { applyJournalled, journalEntry } from '../history/journal.ts';
import { invalid, NotFoundError, parseInput, zodMessage } from '../errors.ts';
import { issueInvitation } from './invitations.ts';
import { isEmail, normalizeEmail } from './users.ts';

/**
 * Members are kept in the core database, for one city. `db`, the city's own database, receives
 * the history row of a change of role or departments (the web app always passes it; tests of the
 * core alone may leave it out).
 */
export type MembersContext = CoreContext & {
	tenant: Pick<TenantTarget, 'id' | 'prefectureCode' | 'status'>;
	db?: TenantDb;
};

const inviteInput = z.object({
	email: z
		.string()
		.transform(normalizeEmail)
		.refine(isEmail, { error: zodMessage('field_email_invalid') }),
	role: z.enum(tenantRoles, { error: zodMessage('members_invalid_role') }),
	departmentIds: z.array(z.string()).nullish()
});
const roleInput = z.object({
	userId: z.string().min(1),
	role: z.enum(tenantRoles, { error: zodMessage('members_invalid_role') }),
	departmentIds: z.array(z.string()).nullish()
});
const memberInput = z.object({ userId: z.string().min(1) });
const invitationInput = z.object({ invitationId: z.string().min(1) });

type MembersArgs = { ctx: MembersContext; input: unknown };

/** Only the city's admins manage its members: checked first, then the input is parsed. */
function managing<T extends z.ZodType>(ctx: MembersContext, schema: T, raw: unknown): z.output<T> {
	ctx.authorize('members.manage', { tenant: ctx.tenant });
	return parseInput(schema, raw);
}

/** One user's membership of this city. */
function membershipOf(ctx: MembersContext, userId: string) {
	return and(eq(memberships.tenantId, ctx.tenant.id), eq(memberships.userId, userId));
}

export async function listMembers({ ctx }: { ctx: MembersContext }) {
	const { core, tenant } = ctx;
	ctx.authorize('members.manage', { tenant });
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
					gt(invitations.expiresAt, new Date(ctx.now()))
				)
			)
			.orderBy(asc(invitations.createdAt))
	]);
	return { members, pending };
}

export async function inviteMember({ ctx, input: raw }: { ctx: MembersContext; input: unknown }) {
	ctx.authorize('members.manage', { tenant: ctx.tenant });
	const input = parseInput(inviteInput, raw);
	const email = input.email;
	const [already] = await ctx.core
		.select({ n: count() })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.tenantId, ctx.tenant.id), eq(users.email, email)));
	if (already && already.n > 0) throw invalid('email', 'members_already_member');
	const invitation = await issueInvitation({
		core: ctx.core,
		input: {
			tenantId: ctx.tenant.id,
			email,
			role: input.role,
			departmentIds: input.departmentIds ?? null,
			invitedBy: ctx.actor.id
		},
		now: ctx.now()
	});
	return { ...invitation, role: input.role };
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
		ctx.core.select({ role: memberships.role }).from(memberships).where(membershipOf(ctx, userId))
	]);
	return self[0]?.role === 'admin' && (admins[0]?.n ?? 0) === 0;
}

export async function changeMemberRole({ ctx, input: raw }: MembersArgs): Promise<void> {
	const input = managing(ctx, roleInput, raw);
	if (input.role !== 'admin' && (await isLastAdmin(ctx, input.userId))) throw invalid('form', 'members_last_admin');
	const [before] = await ctx.core
		.select({ name: users.displayName, role: memberships.role, departmentIds: memberships.departmentIds })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(membershipOf(ctx, input.userId));
	if (!before) throw new NotFoundError('member');
	// The city's live departments: an editor is limited to some of them, never to one unknown there.
	const names = new Map(
		ctx.db
			? (
					await ctx.db
						.select({ id: departments.id, name: departments.name })
						.from(departments)
						.where(isNull(departments.deletedAt))
				).map((d) => [d.id, d.name])
			: []
	);
	if (input.departmentIds?.some((id) => !names.has(id)) && ctx.db)
		throw invalid('departmentIds', 'error_department_unknown');
	// Only editors are limited to departments; without a new list an editor keeps theirs.
	const limit =
		input.role !== 'editor'
			? { departmentIds: null }
			: input.departmentIds === undefined
				? {}
				: { departmentIds: input.departmentIds?.length ? input.departmentIds : null };
	// In the city's history, as its other changes are: journalled in the core batch of the change
	// (two databases: history/journal.ts), then copied into the city's audit log.
	const snapshot = (m: { role: string; departmentIds: string[] | null }) => ({
		role: m.role,
		departments: (m.departmentIds ?? []).map((id) => ({ id, name: names.get(id) ?? id }))
	});
	const next = {
		role: input.role,
		departmentIds: 'departmentIds' in limit ? (limit.departmentIds ?? null) : before.departmentIds
	};
	const history =
		ctx.db && JSON.stringify(snapshot(before)) !== JSON.stringify(snapshot(next))
			? journalEntry(ctx, {
					entity: 'member',
					entityId: input.userId,
					action: 'update',
					before: snapshot(before),
					after: { name: before.name, ...snapshot(next) }
				})
			: null;
	const [updated] = await ctx.core.batch([
		ctx.core
			.update(memberships)
			.set({ role: input.role, ...limit })
			.where(membershipOf(ctx, input.userId))
			.returning({ userId: memberships.userId }),
		...(history ? [history.statement] : [])
	]);
	if (!updated[0]) {
		// Gone meanwhile: nothing changed, so there is no history to complete.
		if (history) await ctx.core.delete(historyJournal).where(eq(historyJournal.id, history.row.id!));
		throw new NotFoundError('member');
	}
	if (history && ctx.db) await applyJournalled({ core: ctx.core, db: ctx.db, now: ctx.now }, history.row);
}

/** Takes someone out of the city at once: their next request no longer has the membership. */
export async function removeMember({ ctx, input: raw }: MembersArgs): Promise<void> {
	const input = managing(ctx, memberInput, raw);
	if (await isLastAdmin(ctx, input.userId)) throw invalid('form', 'members_last_admin');
	const removed = await ctx.core
		.delete(memberships)
		.where(membershipOf(ctx, input.userId))
		.returning({ userId: memberships.userId });
	if (removed.length === 0) throw new NotFoundError('member');
}

export async function revokeInvitation({ ctx, input: raw }: MembersArgs): Promise<void> {
	const input = managing(ctx, invitationInput, raw);
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
