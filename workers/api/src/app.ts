// The API, /v1: every endpoint is declared with createRoute (openapi.ts), so /v1/openapi.json
// describes each one (openapi.test.ts compares the document with the worker's routes). In order:
// limits before any work, the core database, authentication, then the routers; every endpoint
// says what it needs with `requires(…)`, refused when it says nothing (middleware/access.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '@mamori/services';
import { accessDeclared, requires } from './middleware/access.ts';
import { database } from './middleware/database.ts';
import { limitBody, limitRate } from './middleware/limits.ts';
import { createApi, documentInfo } from './openapi.ts';
import { problemResponse } from './problem.ts';
import { referencePage, type Document } from './reference.ts';
import { benchmarks } from './routes/benchmarks.ts';
import { cities } from './routes/cities.ts';
import { cityPlan } from './routes/city-plan.ts';
import { indicators } from './routes/indicators.ts';
import { me } from './routes/me.ts';
import { municipalities } from './routes/municipalities.ts';
import { taxonomy } from './routes/taxonomy.ts';

const app = createApi();
app.use('*', accessDeclared());
app.use('/v1/*', limitBody(), limitRate());
app.use('/v1/*', database());

app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
	type: 'http',
	scheme: 'bearer',
	description: 'A session token, or a city’s API token'
});

app.openapi(
	createRoute({
		method: 'get',
		path: '/v1/health',
		tags: ['meta'],
		summary: '稼働確認 · Health',
		middleware: [requires('public')],
		responses: {
			200: {
				description: 'The worker answers',
				content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } }
			}
		}
	}),
	(c) => c.json({ status: 'ok' as const }, 200)
);

app.route('/v1/municipalities', municipalities);
app.route('/v1/taxonomy', taxonomy);
app.route('/v1/indicators', indicators);
app.route('/v1/benchmarks', benchmarks);
app.route('/v1/me', me);
app.route('/v1/cities', cities);
app.route('/v1/cities', cityPlan);

// The document is the same for every request of an isolate: generated once, on first ask.
let document: Document | undefined;
const openApiDocument = () => (document ??= app.getOpenAPI31Document(documentInfo) as Document);

app.openapi(
	createRoute({
		method: 'get',
		path: '/v1/openapi.json',
		tags: ['meta'],
		summary: 'OpenAPI 3.1 文書 · This document',
		middleware: [requires('public')],
		responses: {
			200: {
				description: 'The OpenAPI 3.1 document of the API',
				content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }
			}
		}
	}),
	(c) =>
		c.json(openApiDocument() as unknown as Record<string, unknown>, 200, { 'cache-control': 'public, max-age=300' })
);

app.openapi(
	createRoute({
		method: 'get',
		path: '/v1/reference',
		tags: ['meta'],
		summary: 'リファレンス（HTML） · The reference, readable',
		middleware: [requires('public')],
		responses: {
			200: {
				description: 'The operations of the document, as a page',
				content: { 'text/html': { schema: z.string() } }
			}
		}
	}),
	(c) => c.html(referencePage(openApiDocument()), 200, { 'cache-control': 'public, max-age=300' })
);

app.notFound((c) => problemResponse(c, new NotFoundError('route')));
app.onError((error, c) => problemResponse(c, error));

export { app, openApiDocument };
