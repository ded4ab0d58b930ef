import type { TenantDb } from '@mamori/db';
import type { Action } from './auth/policy.ts';

export type WorkspaceAction = Extract<Action, 'plan.read' | 'plan.edit' | 'plan.publish'>;

/** What every tenant service receives: the city's database, who acts, and the one authoriser. */
export interface TenantContext {
	db: TenantDb;
	actor: { id: string | null; name: string };
	/**
	 * Throws when the actor may not do this. Decided by the one authoriser (auth/policy.ts).
	 * `departmentIds` are the departments of the item being changed: a department-limited editor
	 * may change it when one of them is theirs. Without a scope the change is about the whole plan
	 * (tree, departments, KPIs), which only an editor without a department limit may make.
	 */
	authorize(action: WorkspaceAction, scope?: { departmentIds: string[] }): void;
}

/** SQLite aborted a write whose version was stale (see migration 0001_version_guards). */
export function isVersionConflict(error: unknown): boolean {
	let e: unknown = error;
	for (let depth = 0; e && depth < 5; depth++) {
		if (e instanceof Error && /version_conflict/.test(e.message)) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}
