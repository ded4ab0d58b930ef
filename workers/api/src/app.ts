import { isUnreachable } from '@mamori/db';
import { AccessDeniedError } from '@mamori/services/auth';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { accessDeclared, requires } from './middleware/access.ts';
import { database } from './middleware/database.ts';
import { cities } from './routes/cities.ts';
import { me } from './routes/me.ts';
import { municipalities } from './routes/municipalities.ts';
import { taxonomy } from './routes/taxonomy.ts';

const app = new Hono<AppEnv>();
app.use('*', accessDeclared());
app.get('/v1/health', requires('public'), (c) => c.json({ status: 'ok' }));
app.use('/v1/*', database());
app.route('/v1/municipalities', municipalities);
app.route('/v1/taxonomy', taxonomy);
app.route('/v1/me', me);
app.route('/v1/cities', cities);
app.notFound((c) => c.json({ error: { code: 'not_found', message: '見つかりません。' } }, 404));
app.onError((error, c) => {
	if (error instanceof AccessDeniedError)
		return c.json({ error: { code: error.reason, message: 'この操作を行う権限がありません。' } }, 403);
	if (isUnreachable(error)) {
		console.error('database unreachable', error);
		return c.json(
			{
				error: {
					code: 'database_unavailable',
					message: 'データベースに接続できません。しばらくしてから再度お試しください。'
				}
			},
			503,
			{ 'retry-after': '30' }
		);
	}
	console.error(error);
	return c.json({ error: { code: 'internal_error', message: '予期しないエラーが発生しました。' } }, 500);
});

export { app };
