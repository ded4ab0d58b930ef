// Runs inside workerd with the rate-limiting bindings of wrangler.toml (local workerd implements
// them): an oversize body is refused with 413 on every route before it is read, and a client over
// its rate gets 429 with Retry-After, both as problem details in Japanese and English.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from './app.ts';
import { MAX_BODY_BYTES, RATE_PERIOD_SECONDS } from './middleware/limits.ts';
import type { Problem } from './problem.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
/** A hundred or more requests each: room for a busy machine (nothing here measures time). */
const MANY = 60_000;
/** An address of the documentation range, unique to this run: no other test shares its count. */
const address = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;

/** Asks until refused: the first 429, and how many were let through before it (at most `max`). */
async function untilRefused(init: () => RequestInit, max: number) {
	for (let sent = 0; sent < max; sent++) {
		const response = await app.request('/v1/health', init(), bindings());
		if (response.status === 429) return { allowed: sent, response };
		expect(response.status).toBe(200);
	}
	return { allowed: max, response: null };
}

describe('API limits (workerd)', () => {
	it(
		'refuses an oversize body with 413 on every route, before its handler or the database',
		async () => {
			const paths = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => r.path))];
			const big = 'x'.repeat(MAX_BODY_BYTES + 1);
			for (const path of paths) {
				const url = path.replace(/:\w+/g, 'meguro');
				// Declared (Content-Length) and streamed (no length: counted as it is read).
				for (const body of [big, new Blob([big]).stream()]) {
					const response = await app.request(
						url,
						{
							method: 'POST',
							body,
							headers: { 'content-type': 'application/json' },
							...(body instanceof ReadableStream ? { duplex: 'half' } : {})
						} as RequestInit,
						// No database: a 413 must come before anything is read.
						{ ...env, CORE_DATABASE_URL: 'http://localhost:1/dev/core/' }
					);
					expect(response.status, `${url}`).toBe(413);
					expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
					const problem = (await response.json()) as Problem;
					expect(problem).toMatchObject({ status: 413, code: 'too_large', type: 'urn:mamori:problem:too_large' });
					expect(problem.messages.ja.detail).toContain('大きすぎます');
					expect(problem.messages.en.detail).toContain(`${MAX_BODY_BYTES.toLocaleString('en-US')} bytes`);
				}
			}
			console.log(`413 checked on ${paths.length} paths`);
			// A body under the limit goes on to routing (there is no POST here: 404).
			const small = await app.request('/v1/health', { method: 'POST', body: '{}' }, bindings());
			expect(small.status).toBe(404);
		},
		MANY
	);

	it(
		'answers 429 with Retry-After to an address over its rate; another address is not affected',
		async () => {
			const mine = address();
			const { allowed, response } = await untilRefused(() => ({ headers: { 'cf-connecting-ip': mine } }), 200);
			expect(response, `refused after ${allowed}`).not.toBeNull();
			expect(allowed).toBeGreaterThanOrEqual(60); // wrangler.toml: 60 a minute per address
			expect(response!.headers.get('retry-after')).toBe(String(RATE_PERIOD_SECONDS));
			expect(response!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			const problem = (await response!.json()) as Problem;
			expect(problem).toMatchObject({ status: 429, code: 'rate_limited', type: 'urn:mamori:problem:rate_limited' });
			expect(problem.detail).toBe(`リクエストが多すぎます。${RATE_PERIOD_SECONDS} 秒後に再度お試しください。`);
			expect(problem.messages.en.detail).toBe(`Too many requests. Please try again in ${RATE_PERIOD_SECONDS} seconds.`);
			const other = await app.request('/v1/health', { headers: { 'cf-connecting-ip': address() } }, bindings());
			expect(other.status).toBe(200);
		},
		MANY
	);

	it(
		'counts a request with a bearer token against the token, not the address',
		async () => {
			const token = `Bearer ${crypto.randomUUID()}.${crypto.randomUUID()}`;
			const shared = address();
			const { allowed, response } = await untilRefused(
				() => ({ headers: { authorization: token, 'cf-connecting-ip': shared } }),
				400
			);
			expect(response, `refused after ${allowed}`).not.toBeNull();
			expect(allowed).toBeGreaterThanOrEqual(120); // wrangler.toml: 120 a minute per token
			expect(response!.headers.get('retry-after')).toBe(String(RATE_PERIOD_SECONDS));
			// The address itself still has its own allowance.
			const anonymous = await app.request('/v1/health', { headers: { 'cf-connecting-ip': shared } }, bindings());
			expect(anonymous.status).toBe(200);
		},
		MANY
	);
});
