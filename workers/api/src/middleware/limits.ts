// Limits that answer clearly, before any work is done for a request: a body larger than the API
// takes is refused (413) before it is read, and a client over its rate is refused (429) with
// Retry-After. Rates are counted by the Workers rate-limiting bindings of wrangler.toml
// (RATE_LIMIT_TOKEN, RATE_LIMIT_ADDRESS; workerd offers the same interface locally): per token
// for a request that carries one, else per address.
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.ts';
import { rateLimitedResponse, tooLargeResponse } from '../problem.ts';

/** The largest body the API reads: a yearly record (20,000 characters) with its metrics fits many times. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The period of both bindings in wrangler.toml (`simple = { …, period = 60 }`): the longest wait. */
export const RATE_PERIOD_SECONDS = 60;

export function limitBody(maxBytes = MAX_BODY_BYTES) {
	return bodyLimit({ maxSize: maxBytes, onError: (c) => tooLargeResponse(c, maxBytes) });
}

/** The bucket of a bearer token: a digest, so that neither the token nor its secret is a key anywhere. */
async function tokenKey(token: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
	return `token:${[...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function limitRate() {
	return createMiddleware<AppEnv>(async function limitRate(c, next) {
		const token = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
		// Cloudflare sets CF-Connecting-IP on every request it forwards (a client cannot); only a
		// request made inside the Worker (tests' app.request) has none, and has no address to count.
		const address = c.req.header('cf-connecting-ip');
		const [limiter, key] = token
			? [c.env.RATE_LIMIT_TOKEN, await tokenKey(token)]
			: [c.env.RATE_LIMIT_ADDRESS, address ? `address:${address}` : null];
		if (limiter && key) {
			const { success } = await limiter.limit({ key });
			if (!success) return rateLimitedResponse(c, RATE_PERIOD_SECONDS);
		}
		await next();
	});
}
