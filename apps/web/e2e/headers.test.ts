// Security headers on every kind of response the web app sends, read from the running stack
// (the built Worker in workerd): pages, form answers, errors, SvelteKit's own CSRF refusal,
// static assets and CSV exports. Signed-in answers are never stored by a cache.
import { beforeAll, describe, expect, it } from 'vitest';
import { get, postForm, signInCookie } from './http.ts';
import { appUrl } from './stack.ts';

const ALWAYS = [
	'strict-transport-security',
	'x-content-type-options',
	'referrer-policy',
	'x-frame-options',
	'content-security-policy'
];

function expectSecurityHeaders(response: Response, what: string) {
	for (const name of ALWAYS) expect(response.headers.get(name), `${what}: ${name}`).toBeTruthy();
	const csp = response.headers.get('content-security-policy')!;
	expect(csp, `${what}: frame-ancestors`).toMatch(/frame-ancestors 'none'/);
	const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
	expect(scripts, `${what}: scripts`).not.toContain('unsafe-inline');
}

describe('security headers on every response (running stack)', () => {
	let editor: string;
	beforeAll(async () => {
		editor = await signInCookie(appUrl, 'editor@meguro.example');
	});

	it('pages: a CSP with a nonce for SvelteKit’s script, and no-store once signed in', async () => {
		const anonymous = await get(appUrl, '/login');
		expectSecurityHeaders(anonymous, '/login');
		const html = await anonymous.text();
		const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(anonymous.headers.get('content-security-policy')!)?.[1];
		expect(nonce).toBeTruthy();
		expect(html).toContain(`nonce="${nonce}"`);

		const page = await get(appUrl, '/meguro', editor);
		expect(page.status).toBe(200);
		expectSecurityHeaders(page, '/meguro');
		expect(page.headers.get('cache-control')).toBe('no-store');
	});

	it('form answers, errors and refusals', async () => {
		const wrong = await postForm(appUrl, '/login', { email: 'editor@meguro.example', password: 'wrong-password-1' });
		expectSecurityHeaders(wrong, 'sign-in refused');
		expect(wrong.headers.get('cache-control')).toBe('no-store');

		const missing = await get(appUrl, '/meguro/initiatives/00000000000000000000000000', editor);
		expect(missing.status).toBe(404);
		expectSecurityHeaders(missing, 'unknown initiative');

		const foreign = await get(appUrl, '/koganei', editor);
		expect(foreign.status).toBe(403);
		expectSecurityHeaders(foreign, 'another city');
		expect(foreign.headers.get('cache-control')).toBe('no-store');

		// SvelteKit refuses a cross-site form post before any hook runs.
		const csrf = await postForm(
			appUrl,
			'/login',
			{ email: 'x@example.com', password: 'x' },
			{ origin: 'https://evil.example' }
		);
		expect(csrf.status).toBe(403);
		expectSecurityHeaders(csrf, 'CSRF refusal');
	});

	it('static assets and CSV exports', async () => {
		const html = await (await get(appUrl, '/login')).text();
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(html)?.[0];
		expect(asset).toBeTruthy();
		const script = await fetch(`${appUrl}${asset}`);
		expect(script.status).toBe(200);
		expectSecurityHeaders(script, 'asset');

		const official = await signInCookie(appUrl, 'official@tokyo.example');
		const csv = await get(appUrl, '/benchmarks/csv/coverage?year=2020', official);
		expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
		expectSecurityHeaders(csv, 'CSV');
		expect(csv.headers.get('cache-control')).toBe('no-store');
	});
});
