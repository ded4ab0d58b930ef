import {
	listHistory,
	readPlanOverview,
	tenantContext as buildTenantContext,
	type TenantContext
} from '@mamori/services';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

/** The same service context the web app builds, from what `requires` resolved. */
function tenantContext(c: Context<AppEnv>): TenantContext {
	return buildTenantContext({
		db: c.get('tenantDb')!,
		core: c.get('core'),
		tenant: c.get('tenant')!,
		principal: c.get('principal')
	});
}

/** A city's plan, for its own members only (drafts included). */
export const cities = new Hono<AppEnv>()
	.get('/:slug/overview', requires('plan.read', { tenant: 'slug' }), async (c) => {
		const overview = await readPlanOverview({ ctx: tenantContext(c), input: c.req.query() });
		return c.json({ data: { city: c.get('tenant')!.name, ...overview } });
	})
	.get('/:slug/history', requires('plan.read', { tenant: 'slug' }), async (c) => {
		const history = await listHistory({ ctx: tenantContext(c), input: c.req.query() });
		return c.json({ data: history });
	});
