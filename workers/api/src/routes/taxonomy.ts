import { listTaxonomy } from '@mamori/services';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

export const taxonomy = new Hono<AppEnv>().get('/', requires('public'), async (c) => {
	const { version, categories } = await listTaxonomy({ core: c.get('core') });
	return c.json({ data: { version, categories } }, 200, { 'cache-control': 'public, max-age=300' });
});
