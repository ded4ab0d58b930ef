// Runs inside workerd (@cloudflare/vitest-plugin) against a real sqld.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from './app.ts';
import type { Problem } from './problem.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });

describe('public API /v1 in workerd', () => {
	it('looks a municipality up by its code, with population and its date', async () => {
		const response = await app.request('/v1/municipalities/012131', {}, bindings());
		expect(response.status).toBe(200);
		const { data } = (await response.json()) as { data: Record<string, unknown> };
		expect(data).toMatchObject({
			code: '012131',
			name: '苫小牧市',
			prefectureName: '北海道',
			population: 165590,
			populationDate: '2024-12-31'
		});
	});

	it('refuses a code whose check digit is wrong, in Japanese, as problem details', async () => {
		const response = await app.request('/v1/municipalities/012132', {}, bindings());
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		const body = (await response.json()) as Problem;
		expect(body).toMatchObject({ type: 'urn:mamori:problem:invalid', status: 400, code: 'invalid' });
		expect(body.errors).toEqual([
			{
				field: 'code',
				detail: '団体コードの検査数字が正しくありません。',
				messages: {
					ja: '団体コードの検査数字が正しくありません。',
					en: 'The check digit of the municipality code is wrong.'
				}
			}
		]);
	});

	it('answers 404 for a valid code that is not a municipality', async () => {
		// 999997 has a valid check digit ((11 - (6*9+5*9+4*9+3*9+2*9) % 11) % 10 = 7) but no municipality.
		const response = await app.request('/v1/municipalities/999997', {}, bindings());
		expect(response.status).toBe(404);
	});

	it('serves the shared taxonomy', async () => {
		const response = await app.request('/v1/taxonomy', {}, bindings());
		expect(response.status).toBe(200);
		const { data } = (await response.json()) as { data: { version: number; categories: { code: string }[] } };
		expect(data.version).toBe(1);
		expect(data.categories.map((c) => c.code)).toContain('fraud.special');
	});

	it('answers 503 in JSON when the database cannot be reached', async () => {
		const response = await app.request(
			'/v1/taxonomy',
			{},
			{ ...env, CORE_DATABASE_URL: 'http://localhost:1/dev/core/' }
		);
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('30');
		const body = (await response.json()) as Problem;
		// workerd reports a refused connection as a lost one ("Network connection lost"), which the
		// services must take as a request of unknown outcome (timeout); both answer the same message.
		expect(body.status).toBe(503);
		expect(['unavailable', 'timeout']).toContain(body.code);
		expect(body.detail).toBe('データベースに接続できません。しばらくしてから再度お試しください。');
	});
});

describe('scheduled drift check in workerd', () => {
	it('compares the seed cities publications with their own databases and finds them matching', async () => {
		const { checkDrift } = await import('./index.ts');
		const report = await checkDrift({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
		// The local seed publishes 目黒区, 小金井市 and 苫小牧市; each city database is read over HTTP.
		expect(report).toEqual({ checkedTenants: 3, drift: [], errors: [], complete: true });
	});
});
