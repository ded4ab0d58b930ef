import { municipalityLookup } from '@mamori/services/domain';
import { findMunicipality, NotFoundError, parseInput } from '@mamori/services';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

export const municipalities = new Hono<AppEnv>().get('/:code', requires('public'), async (c) => {
	const { code } = parseInput(municipalityLookup, c.req.param());
	const municipality = await findMunicipality({ core: c.get('core'), code });
	if (!municipality) throw new NotFoundError('municipality');
	return c.json({ data: municipality });
});
