import { listMyTasks } from '@mamori/services/rounds';
import { loading } from '$lib/server/errors';
import { tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => listMyTasks({ ctx: tenantContext(locals) }));
