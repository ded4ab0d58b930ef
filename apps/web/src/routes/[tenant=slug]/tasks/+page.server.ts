import { listMyTasks } from '@mamori/services/rounds';
import { loading } from '$lib/server/errors';
import { tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => listMyTasks({ ctx: tenantContext(locals) }));
