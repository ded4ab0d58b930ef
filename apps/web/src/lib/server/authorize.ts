// Interim: until sign-in (issue 5) lands, everyone may read a city's published plan pages and
// nobody may edit. The sign-in work replaces this with the one authoriser (roles, departments).
import { error } from '@sveltejs/kit';
import type { WorkspaceAction } from '@mamori/db/services';

export function authorizeTenantAction(
	_locals: App.Locals,
	action: WorkspaceAction,
	_scope?: { departmentIds: string[] }
): void {
	if (action !== 'plan.read') error(403, { message: 'forbidden' });
}
