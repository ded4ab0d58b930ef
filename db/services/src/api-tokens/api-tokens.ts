// A city's API tokens, for its other systems (web site, open-data portal, the prefecture's
// statistics): created, listed and revoked by the city's admins. A token acts in its city as a
// viewer (`read`) or an editor (`write`, optionally limited to departments) would, so the one
// authoriser decides what it may do: it authenticates as a Principal with one membership.
import { and, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreDb } from '@mamori/db';
import { apiTokens, apiTokenScopes, municipalities, tenants } from '@mamori/db/core';
import { departments } from '@mamori/db/tenant';
import type { MembersContext } from '../auth/members.ts';
import type { Principal } from '../auth/policy.ts';
import { hashSecret, parseToken, randomPart, secretMatches } from '../auth/tokens.ts';
import { required } from '../domain/fields.ts';
import { invalid, NotFoundError, parseInput, zodMessage } from '../errors.ts';
import { withCity } from '../tenants/tenants.ts';

const DAY = 24 * 60 * 60 * 1000;

export const API_TOKEN = {
	/** What a token starts with: tells it from a session token, and lets secret scanners find it. */
	prefix: 'mamori_',
	/** The lifetimes an admin chooses from, in days; there is no token without an expiry. */
	lifetimesDays: [30, 90, 180, 365] as const,
	/** last_used_at is written at most this often. */
	lastUseIntervalMs: 60 * 1000,
	nameMax: 100
};

/** Managing tokens is managing who may reach the city's data: its admins' business (members.manage). */
export type ApiTokensContext = MembersContext;
type Args = { ctx: ApiTokensContext; input: unknown };

const createInput = z.object({
	name: required(API_TOKEN.nameMax, 'token_name'),
	scope: z.enum(apiTokenScopes, { error: zodMessage('api_tokens_invalid_scope') }),
	departmentIds: z.array(z.string()).nullish(),
	lifetimeDays: z.coerce.number().refine((d) => (API_TOKEN.lifetimesDays as readonly number[]).includes(d), {
		error: zodMessage('api_tokens_invalid_lifetime')
	})
});
const revokeInput = z.object({ tokenId: z.string().min(1) });

/** Whether a bearer token is one of ours (`mamori_<id>.<secret>`), not a session token. */
export const isApiToken = (token: string | null | undefined): boolean => Boolean(token?.startsWith(API_TOKEN.prefix));

/** Splits an API token into its id and secret, or null when it is not one. */
export function parseApiToken(token: string | null | undefined): { id: string; secret: string } | null {
	if (!token || !isApiToken(token)) return null;
	return parseToken(token.slice(API_TOKEN.prefix.length));
}

export interface CreatedApiToken {
	id: string;
	/** The whole token: shown once, never stored. */
	token: string;
	name: string;
	scope: (typeof apiTokenScopes)[number];
	departmentIds: string[] | null;
	expiresAt: Date;
}

/** A new token for the city; its secret is in the answer and nowhere else. */
export async function createApiToken({ ctx, input: raw }: Args): Promise<CreatedApiToken> {
	ctx.authorize('members.manage', { tenant: ctx.tenant });
	const input = parseInput(createInput, raw);
	// Only a write token is limited to departments (a reader reads the whole plan, as viewers do),
	// and only to the city's live departments.
	const limit = input.scope === 'write' && input.departmentIds?.length ? [...new Set(input.departmentIds)] : null;
	if (limit) {
		if (!ctx.db) throw invalid('departmentIds', 'error_department_unknown');
		const live = new Set(
			(await ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt))).map(
				(d) => d.id
			)
		);
		if (limit.some((id) => !live.has(id))) throw invalid('departmentIds', 'error_department_unknown');
	}
	const id = randomPart();
	const secret = randomPart();
	const now = ctx.now();
	const expiresAt = new Date(now + input.lifetimeDays * DAY);
	await ctx.core.insert(apiTokens).values({
		id,
		tenantId: ctx.tenant.id,
		name: input.name,
		scope: input.scope,
		departmentIds: limit,
		secretHash: await hashSecret(secret),
		createdBy: ctx.actor.id,
		createdAt: new Date(now),
		expiresAt
	});
	return {
		id,
		token: `${API_TOKEN.prefix}${id}.${secret}`,
		name: input.name,
		scope: input.scope,
		departmentIds: limit,
		expiresAt
	};
}

export interface ApiTokenSummary {
	id: string;
	name: string;
	scope: (typeof apiTokenScopes)[number];
	departmentIds: string[] | null;
	createdAt: Date;
	expiresAt: Date;
	revokedAt: Date | null;
	lastUsedAt: Date | null;
	/** revoked, expired (kept until the nightly cleanup) or usable. */
	state: 'active' | 'expired' | 'revoked';
}

/** The city's tokens, newest first, with their last use; never a secret nor its hash. */
export async function listApiTokens({ ctx }: { ctx: ApiTokensContext }): Promise<ApiTokenSummary[]> {
	ctx.authorize('members.manage', { tenant: ctx.tenant });
	const rows = await ctx.core
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scope: apiTokens.scope,
			departmentIds: apiTokens.departmentIds,
			createdAt: apiTokens.createdAt,
			expiresAt: apiTokens.expiresAt,
			revokedAt: apiTokens.revokedAt,
			lastUsedAt: apiTokens.lastUsedAt
		})
		.from(apiTokens)
		.where(eq(apiTokens.tenantId, ctx.tenant.id))
		.orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
	const now = ctx.now();
	return rows.map((r) => ({
		...r,
		departmentIds: r.departmentIds ?? null,
		state: r.revokedAt ? 'revoked' : r.expiresAt.getTime() <= now ? 'expired' : 'active'
	}));
}

/** Revokes one of the city's tokens at once: its next request is refused. Revoking twice changes nothing. */
export async function revokeApiToken({ ctx, input: raw }: Args): Promise<void> {
	ctx.authorize('members.manage', { tenant: ctx.tenant });
	const input = parseInput(revokeInput, raw);
	const [row] = await ctx.core
		.select({ revokedAt: apiTokens.revokedAt })
		.from(apiTokens)
		.where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.tenantId, ctx.tenant.id)));
	if (!row) throw new NotFoundError('api token');
	if (row.revokedAt) return;
	await ctx.core
		.update(apiTokens)
		.set({ revokedAt: new Date(ctx.now()) })
		.where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.tenantId, ctx.tenant.id), isNull(apiTokens.revokedAt)));
}

/** The query that reads a token with its city, for a batch (readRequestContext). */
export function apiTokenQuery(core: CoreDb, tokenId: string) {
	return withCity(
		core
			.select({
				id: apiTokens.id,
				name: apiTokens.name,
				scope: apiTokens.scope,
				departmentIds: apiTokens.departmentIds,
				secretHash: apiTokens.secretHash,
				expiresAt: apiTokens.expiresAt,
				revokedAt: apiTokens.revokedAt,
				lastUsedAt: apiTokens.lastUsedAt,
				tenantId: apiTokens.tenantId,
				tenantSlug: tenants.slug,
				tenantName: municipalities.name
			})
			.from(apiTokens)
			.$dynamic(),
		apiTokens.tenantId
	)
		.where(eq(apiTokens.id, tokenId))
		.limit(1);
}

type ApiTokenRow = Awaited<ReturnType<typeof apiTokenQuery>>[number];

export interface ValidApiToken {
	id: string;
	name: string;
	tenantId: string;
	tenantSlug: string;
	scope: (typeof apiTokenScopes)[number];
	departmentIds: string[] | null;
	/** The token as the authoriser sees it: one membership, in its city. */
	principal: Principal;
}

/**
 * The token the row of `apiTokenQuery` describes, when the secret matches and it is neither
 * revoked nor expired; records its last use at most once a minute (one small write, only then).
 */
export async function apiTokenOf(
	core: CoreDb,
	secret: string,
	row: ApiTokenRow | undefined,
	now: number
): Promise<ValidApiToken | null> {
	if (!row || !(await secretMatches(secret, row.secretHash))) return null;
	if (row.revokedAt || row.expiresAt.getTime() <= now) return null;
	if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= API_TOKEN.lastUseIntervalMs)
		await core
			.update(apiTokens)
			.set({ lastUsedAt: new Date(now) })
			.where(
				and(
					eq(apiTokens.id, row.id),
					or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, new Date(now - API_TOKEN.lastUseIntervalMs)))
				)
			);
	const departmentIds = row.scope === 'write' ? (row.departmentIds ?? null) : null;
	return {
		id: row.id,
		name: row.name,
		tenantId: row.tenantId,
		tenantSlug: row.tenantSlug,
		scope: row.scope,
		departmentIds,
		principal: {
			userId: `api-token:${row.id}`,
			email: '',
			displayName: row.name,
			isOperator: false,
			apiToken: { id: row.id, name: row.name },
			memberships: [
				{
					tenantId: row.tenantId,
					tenantSlug: row.tenantSlug,
					tenantName: row.tenantName,
					role: row.scope === 'write' ? 'editor' : 'viewer',
					departmentIds
				}
			],
			prefectures: []
		}
	};
}

/** The city, scope and departments of a token, or null when it is malformed, unknown, wrong, revoked or expired. */
export async function authenticateApiToken({
	core,
	token,
	now = Date.now()
}: {
	core: CoreDb;
	token: string | null | undefined;
	now?: number;
}): Promise<ValidApiToken | null> {
	const parsed = parseApiToken(token);
	if (!parsed) return null;
	const [row] = await apiTokenQuery(core, parsed.id);
	return apiTokenOf(core, parsed.secret, row, now);
}
