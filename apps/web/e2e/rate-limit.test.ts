// The first filter in front of sign-in and password reset: the Workers rate-limiting bindings of
// wrangler.toml, per client address, counted before the body is read or the core database asked
// (workerd serves the same binding locally). Each address gets its limit, the next request from it
// is refused with 429 and a message, another address is not. The requests carry an address of
// their own (CF-Connecting-IP, as Cloudflare sets it; wrangler dev keeps a client's), so the stack's
// other tests, all from 127.0.0.1, are not slowed. They are refused before any password is checked
// (an empty password or a malformed address), so the limit costs no scrypt.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { webConfig } from '../scripts/stack.ts';
import { postForm } from './http.ts';
import { appUrl } from './stack.ts';

/** The top-level binding's limit in wrangler.toml (what the local stack serves). */
function limitOf(binding: string): number {
	const toml = readFileSync(webConfig, 'utf8');
	const match = new RegExp(`name = "${binding}"\\n[^\\n]*\\nsimple = \\{ limit = (\\d+), period = 60 \\}`).exec(toml);
	if (!match) throw new Error(`wrangler.toml binds no ${binding}`);
	return Number(match[1]);
}

const post = (path: string, address: string, fields: Record<string, string>) =>
	postForm(appUrl, path, fields, { address });

describe('the rate-limiting binding sheds floods per address (running stack)', () => {
	const cases: { what: string; path: string; binding: string; fields: Record<string, string>; message: string }[] = [
		{
			what: 'sign-in',
			path: '/login',
			binding: 'SIGN_IN_RATE_LIMIT',
			fields: { email: 'admin@meguro.example', password: '' },
			message: '短い間に多くの要求がありました'
		},
		{
			what: 'password reset',
			path: '/reset-password',
			binding: 'PASSWORD_RESET_RATE_LIMIT',
			fields: { email: 'not an address' },
			message: '短い間に多くの要求がありました'
		}
	];
	// A fresh address per run: the binding's window is a minute, and a rerun must start from zero.
	const run = Math.floor(Math.random() * 200) + 20;

	for (const [n, c] of cases.entries())
		it(`${c.what}: ${c.binding}'s limit per address, then 429 with a message; another address is not held up`, async () => {
			const limit = limitOf(c.binding);
			const flood = `203.0.${run}.${10 + n}`;
			const statuses: number[] = [];
			for (let i = 0; i < limit; i++) {
				const answer = await post(c.path, flood, c.fields);
				await answer.body?.cancel();
				statuses.push(answer.status);
			}
			// Refused by the form itself (400), not by the filter, up to the limit.
			expect(new Set(statuses)).toEqual(new Set([400]));
			const refused = await post(c.path, flood, c.fields);
			expect(refused.status).toBe(429);
			expect(await refused.text()).toContain(c.message);
			const other = await post(c.path, `203.0.${run}.${100 + n}`, c.fields);
			await other.body?.cancel();
			expect(other.status).toBe(400);
			console.log(`${c.what}: ${limit} requests from one address answered, the next refused (429)`);
		});
});
