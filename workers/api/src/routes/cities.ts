import { authorize } from '@mamori/services/auth';
import { readPlanOverview, type TenantContext } from '@mamori/services';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

function tenantContext(c: Context<AppEnv>): TenantContext {
	const principal = c.get('principal');
	const tenant = c.get('tenant')!;
	return {
		db: c.get('tenantDb')!,
		actor: { id: principal?.userId ?? null, name: principal?.displayName ?? '' },
		authorize: (action, scope) => authorize(principal, action, { tenant, departments: scope?.departmentIds ?? 'all' })
	};
}

/** A city's plan, for its own members only (drafts included). */
export const cities = new Hono<AppEnv>().get(
	'/:slug/overview',
	requires('plan.read', { tenant: 'slug' }),
	async (c) => {
		const overview = await readPlanOverview({ ctx: tenantContext(c), input: {} });
		return c.json({ data: { city: c.get('tenant')!.name, ...overview } });
	}
);
