import { listKpis } from '@mamori/db/services';
import { tenantContext } from '$lib/server/workspace';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ kpis: await listKpis({ ctx: tenantContext(locals) }) });
