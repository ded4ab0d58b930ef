import type { TenantDb } from '../client.ts';

export type WorkspaceAction = 'plan.read' | 'plan.edit';

/** What every tenant service receives: the city's database, who acts, and the one authoriser. */
export interface TenantContext {
	db: TenantDb;
	actor: { id: string | null; name: string };
	/**
	 * Throws when the actor may not do this. Decided by the one authoriser (auth policy); for a
	 * department-limited editor, `departmentIds` are the departments of the item being changed.
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
