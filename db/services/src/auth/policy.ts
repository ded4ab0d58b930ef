// The one authoriser. Every route, form action, API endpoint and service asks it, and only it,
// whether someone may do something. The permission table below is the whole rule book.
import type { tenantRoles } from '@mamori/db/core';
import { AccessDeniedError, NotFoundError, type Denial } from '../errors.ts';

export { AccessDeniedError, type Denial };

export type TenantRole = (typeof tenantRoles)[number];

export interface Membership {
	tenantId: string;
	tenantSlug: string;
	tenantName: string;
	role: TenantRole;
	/** An editor limited to these departments of the city (ids in the city's database); null: all. */
	departmentIds: string[] | null;
}

/** Who is asking: a signed-in user with their memberships and offices. Anonymous is `null`. */
export interface Principal {
	userId: string;
	email: string;
	displayName: string;
	isOperator: boolean;
	memberships: Membership[];
	/** Prefectures whose published benchmarks this user reads as a prefectural official. */
	prefectures: { code: string; name: string }[];
	/**
	 * Set when a city's API token asks (api-tokens/): it has one membership, as a viewer (read)
	 * or an editor (write), and is decided by the same rules as a person in that role.
	 */
	apiToken?: { id: string; name: string };
}

export const actions = [
	'public', // anyone, signed in or not
	'plan.public', // anyone, of a city that shows residents its plan and published progress (its resident page)
	'session', // any signed-in user (their own account)
	'plan.read', // a city's plan, drafts included
	'plan.edit', // change a city's plan (department-limited editors: their departments only)
	'plan.comment', // comment on any initiative of the city, and mention departments (no department limit)
	'members.manage', // invite people to a city, change roles, remove members
	'benchmark.read', // published figures of the cities of a prefecture
	'plan.publish', // publish a city's confirmed figures as benchmark facts (an audited act)
	'city.export', // download all of a city's data (JSON, SQLite)
	'round.manage', // a city's reporting rounds: open and close them, review submissions, read their reminder log
	'operator.console', // see the service: tenants, their databases, the local mail outbox
	'operator.tenants', // create, suspend and resume tenants
	'operator.taxonomy', // publish a taxonomy version, moving every city's categorisation
	'operator.populations', // import the populations of every municipality
	'operator.restore' // restore a city's export into a new tenant
] as const;

export type Action = (typeof actions)[number];

type Grant =
	| 'anyone'
	| 'anyone, where the city publishes it'
	| 'signed-in'
	| 'city viewer'
	| 'city editor'
	| 'city admin'
	| 'prefectural official'
	| 'operator';

/** Who may do what. A tenant role grants only in its own city; an official only in their prefecture. */
export const permissions: Record<Action, readonly Grant[]> = {
	public: ['anyone'],
	'plan.public': ['anyone, where the city publishes it'],
	session: ['signed-in'],
	'plan.read': ['city viewer', 'city editor', 'city admin'],
	'plan.edit': ['city editor', 'city admin'],
	'plan.comment': ['city editor', 'city admin'],
	'members.manage': ['city admin'],
	'benchmark.read': ['prefectural official', 'operator'],
	'plan.publish': ['city admin'],
	'city.export': ['city admin'],
	'round.manage': ['city admin'],
	'operator.console': ['operator'],
	'operator.tenants': ['operator'],
	'operator.taxonomy': ['operator'],
	'operator.populations': ['operator'],
	'operator.restore': ['operator']
};

export interface Target {
	/** The city the action is about (tenant routes, tenant services). */
	tenant?:
		| {
				id: string;
				prefectureCode: string;
				status: 'active' | 'suspended';
				/** The city shows residents its plan (tenants.resident_page); absent: it does not. */
				residentPage?: boolean;
		  }
		| undefined;
	/** The prefecture the action is about (benchmarks), when there is no city. */
	prefectureCode?: string | undefined;
	/**
	 * The departments of the item being changed, for department-limited editors:
	 * - an array: the item's departments; allowed when one of them is the editor's;
	 * - 'all': the change is not about one department's items (plan tree, department list, KPIs),
	 *   which a department-limited editor may not make;
	 * - absent: a route-level check ("may this person edit anything here?").
	 */
	departments?: readonly string[] | 'all' | undefined;
}

/**
 * Refused, and why. `hidden`: what was asked is not shown to anyone (a city that has not opened its
 * resident page), answered exactly as a city that does not exist.
 */
export type Decision = { allowed: true } | { allowed: false; reason: Denial | 'hidden' };

const roleGrant: Record<TenantRole, Grant> = {
	viewer: 'city viewer',
	editor: 'city editor',
	admin: 'city admin'
};

/** Actions a department limit applies to: an editor limited to departments still reads everything. */
const departmentScoped: readonly Action[] = ['plan.edit'];

/**
 * Fails closed: a limited editor (an empty list limits to nothing) may change an item only when
 * one of its departments is theirs; never a change to the whole plan, nor an item of no department.
 * Without `departments` (a route deciding whether to show its page) the answer is yes: the
 * service asks again with the item's departments.
 */
function departmentAllows(membership: Membership, action: Action, departments: Target['departments']): boolean {
	const limit = membership.role === 'editor' && departmentScoped.includes(action) ? membership.departmentIds : null;
	if (!limit || departments === undefined) return true;
	if (departments === 'all') return false;
	return departments.some((id) => limit.includes(id));
}

export function decide(principal: Principal | null, action: Action, target: Target = {}): Decision {
	const grants = permissions[action];
	if (grants.includes('anyone')) return { allowed: true };
	// A suspended city shows nothing, to residents neither; nobody learns whether it exists.
	if (grants.includes('anyone, where the city publishes it'))
		return target.tenant?.residentPage === true && target.tenant.status === 'active'
			? { allowed: true }
			: { allowed: false, reason: 'hidden' };
	if (!principal) return { allowed: false, reason: 'unauthenticated' };
	// An API token is no one's account: it acts only through its membership of its city.
	if (grants.includes('signed-in'))
		return principal.apiToken ? { allowed: false, reason: 'forbidden' } : { allowed: true };
	if (grants.includes('operator') && principal.isOperator) return { allowed: true };

	const prefecture = target.prefectureCode ?? target.tenant?.prefectureCode;
	if (grants.includes('prefectural official') && prefecture && principal.prefectures.some((p) => p.code === prefecture))
		return { allowed: true };

	const tenant = target.tenant;
	if (tenant) {
		const membership = principal.memberships.find((m) => m.tenantId === tenant.id);
		if (
			membership &&
			grants.includes(roleGrant[membership.role]) &&
			departmentAllows(membership, action, target.departments)
		)
			// A suspended city keeps its data, but nobody works in it until it is resumed.
			return tenant.status === 'suspended' ? { allowed: false, reason: 'suspended' } : { allowed: true };
	}
	return { allowed: false, reason: 'forbidden' };
}

export function can(principal: Principal | null, action: Action, target: Target = {}): boolean {
	return decide(principal, action, target).allowed;
}

export function authorize(principal: Principal | null, action: Action, target: Target = {}): void {
	const decision = decide(principal, action, target);
	if (!decision.allowed)
		throw decision.reason === 'hidden' ? new NotFoundError('city') : new AccessDeniedError(action, decision.reason);
}

export function isAction(value: unknown): value is Action {
	return typeof value === 'string' && (actions as readonly string[]).includes(value);
}
