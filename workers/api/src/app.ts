import { NotFoundError } from '@mamori/services';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { accessDeclared, requires } from './middleware/access.ts';
import { database } from './middleware/database.ts';
import { problemResponse } from './problem.ts';
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
app.notFound((c) => problemResponse(c, new NotFoundError('route')));
app.onError((error, c) => problemResponse(c, error));

export { app };
