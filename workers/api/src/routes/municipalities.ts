import { fields } from '@mamori/services/domain';
import { findMunicipality } from '@mamori/services';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { requires } from '../middleware/access.ts';

export const municipalities = new Hono<AppEnv>().get('/:code', requires('public'), async (c) => {
	const code = fields.municipalityCode.safeParse(c.req.param('code'));
	if (!code.success)
		return c.json({ error: { code: 'invalid_municipality_code', message: code.error.issues[0]!.message } }, 400);
	const municipality = await findMunicipality({ core: c.get('core'), code: code.data });
	if (!municipality) return c.json({ error: { code: 'not_found', message: '該当する団体がありません。' } }, 404);
	return c.json({ data: municipality });
});
