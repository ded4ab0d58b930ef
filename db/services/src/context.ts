// What every service verb receives as `ctx`. Both surfaces build it with the functions below,
// so a verb behaves the same behind a form action and behind an API endpoint.
import type { CoreDb, TenantDb } from '@mamori/db';
import {
	authorize as decideOrThrow,
	type Action,
	type Principal,
	type Target,
	type TenantRole
} from './auth/policy.ts';
import { sharedCodesAt, type SharedCodes } from './taxonomy.ts';

export type WorkspaceAction = Extract<
	Action,
	| 'plan.public'
	| 'plan.read'
	| 'plan.edit'
	| 'plan.comment'
	| 'plan.publish'
	| 'members.manage'
	| 'city.export'
	| 'round.manage'
>;

/**
 * Who acts, as the history records it: the account (e-mail) and its role in the city at the time,
 * which the history shows; the display name is the user's own choice and is kept only beside them.
 */
export interface Actor {
	id: string | null;
	name: string;
	email?: string | null;
	/** `api_token`: a city's API token acted (its name is then the one its admin gave it). */
	role?: TenantRole | 'operator' | 'api_token' | null;
}

/** Core-only verbs (operator console, members, benchmarks reads): the core database, who acts, the authoriser. */
export interface CoreContext {
	core: CoreDb;
	principal: Principal | null;
	actor: Actor;
	/** Throws AccessDeniedError when the principal may not; decided by the one authoriser (auth/policy.ts). */
	authorize(action: Action, target?: Target): void;
	/** Milliseconds since the epoch; tests fix it. */
	now(): number;
}

/** The city a tenant context acts in (from the tenant directory). */
export interface TenantTarget {
	id: string;
	municipalityCode: string;
	prefectureCode: string;
	status: 'active' | 'suspended';
	/** The city shows residents its plan and published progress (its resident page); absent: it does not. */
	residentPage?: boolean;
}

/** Tenant verbs: the city's database, the city, who acts, the authoriser, and lazy core data. */
export interface TenantContext {
	db: TenantDb;
	core: CoreDb;
	tenant: TenantTarget;
	principal: Principal | null;
	actor: Actor;
	/**
	 * Throws when the actor may not do this in this city. `departmentIds` are the departments of
	 * the item being changed: a department-limited editor may change it when one of them is
	 * theirs. Without a scope the change is about the whole plan (tree, departments, KPIs), which
	 * only an editor without a department limit may make.
	 */
	authorize(action: WorkspaceAction, scope?: { departmentIds: string[] }): void;
	/**
	 * The shared taxonomy and indicators: at most one core batch, on first use, none when the
	 * request's stamp (readRequestContext) finds them cached in this isolate.
	 */
	shared(): Promise<SharedCodes>;
	now(): number;
}

/** What the auth verbs outside a city's context (sign-in, invitations, resets) are called with; tests fix `now`. */
export interface AuthArgs<Input> {
	core: CoreDb;
	input: Input;
	now?: number;
}

/** What reading an e-mailed link (an invitation, a password reset) takes. */
export interface LinkArgs {
	core: CoreDb;
	token: string;
	now?: number;
}

/** What every tenant verb is called with: `verbEntity({ ctx, input })`, input raw until the verb parses it. */
export interface VerbArgs {
	ctx: TenantContext;
	input: unknown;
}

function actorOf(principal: Principal | null, tenant?: TenantTarget): Actor {
	if (!principal) return { id: null, name: '' };
	if (principal.apiToken) return { id: null, name: principal.apiToken.name, email: null, role: 'api_token' };
	const membership = tenant && principal.memberships.find((m) => m.tenantId === tenant.id);
	return {
		id: principal.userId,
		name: principal.displayName,
		email: principal.email,
		role: membership ? membership.role : principal.isOperator ? 'operator' : null
	};
}

export function coreContext(options: { core: CoreDb; principal: Principal | null; now?: () => number }): CoreContext {
	const { core, principal } = options;
	return {
		core,
		principal,
		actor: actorOf(principal),
		authorize: (action, target) => decideOrThrow(principal, action, target),
		now: options.now ?? Date.now
	};
}

export function tenantContext(options: {
	db: TenantDb;
	core: CoreDb;
	tenant: TenantTarget;
	principal: Principal | null;
	/** Tests and seeding act without a principal; they pass an authoriser that allows. */
	authorize?: TenantContext['authorize'];
	actor?: Actor;
	now?: () => number;
	/** The shared codes' stamp this request read (readRequestContext): they may come from the cache. */
	sharedStamp?: string | undefined;
}): TenantContext {
	const { db, core, tenant, principal } = options;
	let shared: Promise<SharedCodes> | undefined;
	return {
		db,
		core,
		tenant,
		principal,
		actor: options.actor ?? actorOf(principal, tenant),
		authorize:
			options.authorize ??
			((action, scope) => decideOrThrow(principal, action, { tenant, departments: scope?.departmentIds ?? 'all' })),
		shared: () => {
			// A failed read is not memoised: the next verb may try again.
			shared ??= sharedCodesAt({ core, stamp: options.sharedStamp }).catch((e: unknown) => {
				shared = undefined;
				throw e;
			});
			return shared;
		},
		now: options.now ?? Date.now
	};
}

/** Whether a database error, or one it wraps, was raised by a trigger with this message. */
export function raisedByTrigger(error: unknown, message: string): boolean {
	let e: unknown = error;
	for (let depth = 0; e && depth < 5; depth++) {
		if (e instanceof Error && e.message.includes(message)) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}

/** SQLite aborted a write whose version was stale (see migration 0001_version_guards). */
export const isVersionConflict = (error: unknown): boolean => raisedByTrigger(error, 'version_conflict');
