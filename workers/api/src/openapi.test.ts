// Runs inside workerd: /v1/openapi.json is an OpenAPI 3.1 document (checked with Ajv against the
// OAS 3.1 JSON schema that @seriousme/openapi-schema-validator ships, as that validator does: its
// own loader reads the schema from disk, which workerd cannot; and its structure by hand), and it
// describes every route of the worker and nothing else: an endpoint added without createRoute,
// or a route the document lost, fails here.
import { env } from 'cloudflare:workers';
import oas31 from '@seriousme/openapi-schema-validator/schemas/v3.1/schema.json';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, inject, it } from 'vitest';
import type { Hono } from 'hono';
import { app } from './app.ts';
import type { Document } from './reference.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

async function documentOf(): Promise<Document> {
	const response = await app.request('/v1/openapi.json', {}, bindings());
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return (await response.json()) as Document;
}

/** Every endpoint a Hono app routes (its middleware left out), as `GET /v1/cities/{slug}`. */
function routesOf(hono: Pick<Hono, 'routes'>): string[] {
	const out = hono.routes
		.filter((r) => r.method !== 'ALL')
		.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
	return [...new Set(out)].sort();
}

/** Every operation of the document, as `GET /v1/cities/{slug}`. */
function operationsOf(document: Document): string[] {
	return Object.entries(document.paths ?? {})
		.flatMap(([path, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`))
		.sort();
}

describe('the OpenAPI document (workerd)', () => {
	it('validates as OpenAPI 3.1', async () => {
		const document = await documentOf();
		// The validator's own settings: OpenAPI schemas are too loose for Ajv's strict mode.
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		ajv.addFormat('media-range', true);
		const validate = ajv.compile(oas31);
		const valid = validate(document);
		expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
		expect(valid).toBe(true);
		// The same check refuses what is not a 3.1 document.
		expect(validate({ ...document, paths: { '/v1/x': { get: { responses: { 200: {} } } } } })).toBe(false);
		// What the schema alone does not insist on.
		expect(document.openapi).toMatch(/^3\.1\.\d+$/);
		for (const [path, item] of Object.entries(document.paths ?? {})) {
			expect(path, path).toMatch(/^\/v1\//);
			for (const method of METHODS.filter((m) => item?.[m])) {
				const responses = Object.keys(item![method]!.responses ?? {});
				expect(responses.length, `${method} ${path} has responses`).toBeGreaterThan(0);
				expect(
					responses.some((s) => /^2\d\d$/.test(s)),
					`${method} ${path} has a success`
				).toBe(true);
			}
		}
	});

	it('describes every route of the worker, and only those', async () => {
		const document = await documentOf();
		const routes = routesOf(app);
		console.log(`API routes in the document: ${routes.length}`);
		expect(operationsOf(document)).toEqual(routes);
		expect(routes).toContain('GET /v1/openapi.json');
		expect(routes.length).toBeGreaterThanOrEqual(8);
	});

	it('the comparison fails for a route added without createRoute', async () => {
		const { OpenAPIHono } = await import('@hono/zod-openapi');
		const grown = new OpenAPIHono();
		grown.route('/', app);
		grown.get('/v1/undocumented', (c) => c.text('?'));
		const missing = routesOf(grown).filter(
			(r) =>
				!operationsOf(
					grown.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } }) as Document
				).includes(r)
		);
		expect(missing).toEqual(['GET /v1/undocumented']);
	});

	it('serves a readable reference page listing every operation, without scripts', async () => {
		const [document, response] = await Promise.all([documentOf(), app.request('/v1/reference', {}, bindings())]);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await response.text();
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/https?:\/\/(?!spec\.)/); // nothing loaded from elsewhere
		for (const operation of operationsOf(document)) {
			const [method, path] = operation.split(' ');
			expect(html, operation).toContain(`${method} ${path!.replace(/&/g, '&amp;')}`);
		}
	});
});
