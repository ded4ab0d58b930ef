// Runs inside workerd against a real sqld with the seed cities and demo accounts.
// Every endpoint of the API declares what it needs; each that needs more than "public" is probed
// as a user of another city, a prefectural official and anonymously, and must refuse.
import { env } from 'cloudflare:workers';
import { openCore } from '@mamori/db';
import { hashPassword, signIn, verifyPassword } from '@mamori/services/auth';
import { describe, expect, inject, it } from 'vitest';
import { app } from './app.ts';
import { declaredAccess } from './middleware/access.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
const PASSWORD = 'mamori-demo';

async function bearer(email: string): Promise<string> {
	const core = openCore({ url: inject('coreUrl') });
	const result = await signIn({ core, input: { email, password: PASSWORD } });
	if (!result.ok) throw new Error(`cannot sign in as ${email}`);
	return `Bearer ${result.token}`;
}

/** Each endpoint (method and path) with what its `requires(…)` declares, or undefined. */
function endpoints() {
	const byRoute = new Map<string, { method: string; path: string; access: string | undefined }>();
	for (const route of app.routes) {
		if (route.method === 'ALL') continue; // app.use middleware
		const key = `${route.method} ${route.path}`;
		const entry = byRoute.get(key) ?? { method: route.method, path: route.path, access: undefined };
		entry.access ??= declaredAccess(route.handler);
		byRoute.set(key, entry);
	}
	return [...byRoute.values()];
}

describe('API access declarations and isolation (workerd)', () => {
	it('every endpoint declares what it needs', () => {
		const all = endpoints();
		console.log(`API endpoints: ${all.length} (${all.map((e) => `${e.method} ${e.path}: ${e.access}`).join(', ')})`);
		expect(all.filter((e) => !e.access)).toEqual([]);
		expect(all.length).toBeGreaterThanOrEqual(5);
	});

	it('an endpoint without a declaration is refused before its handler runs', async () => {
		const { Hono } = await import('hono');
		const { accessDeclared } = await import('./middleware/access.ts');
		let ran = false;
		const sample = new Hono();
		sample.use('*', accessDeclared());
		sample.get('/undeclared', (c) => {
			ran = true;
			return c.text('secret');
		});
		const response = await sample.request('/undeclared');
		expect(response.status).toBe(403);
		expect(ran).toBe(false);
	});

	it('refuses every role of another city, prefectural officials and anonymous on every non-public endpoint', async () => {
		// Every role of another city, an official of the city's own prefecture and of another one.
		const actors = {
			'another city (admin@koganei)': await bearer('admin@koganei.example'),
			'another city (editor@koganei)': await bearer('editor@koganei.example'),
			'another city (viewer@koganei)': await bearer('viewer@koganei.example'),
			'official of 東京都': await bearer('official@tokyo.example'),
			'official of 北海道': await bearer('official@hokkaido.example'),
			anonymous: undefined
		};
		const owner = await bearer('admin@meguro.example');
		// Ids of items are made up: the owner is let in (and told the item is not there, or that a
		// write's body is missing), while everyone else is refused before anything is looked up.
		const path = (p: string) =>
			p.replace(':slug', 'meguro').replace(':code', '131105').replace(/:\w+/g, '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
		let probed = 0;
		const failures: string[] = [];
		for (const endpoint of endpoints()) {
			// Anyone's, or anyone's where the city shows it (public.test.ts: a city that does not is a 404).
			if (endpoint.access === 'public' || endpoint.access === 'plan.public') continue;
			const url = path(endpoint.path);
			const control = await app.request(
				url,
				{ method: endpoint.method, headers: { authorization: owner } },
				bindings()
			);
			if (url === endpoint.path.replace(':slug', 'meguro') && endpoint.method === 'GET')
				expect(control.status, `${endpoint.method} ${url} as admin@meguro`).toBe(200);
			else expect(control.status, `${endpoint.method} ${url} as admin@meguro`).not.toBe(403);
			for (const [actor, authorization] of Object.entries(actors)) {
				if (endpoint.access === 'session' && authorization) continue; // their own account
				const response = await app.request(
					url,
					{ method: endpoint.method, headers: authorization ? { authorization } : {} },
					bindings()
				);
				probed++;
				if (![401, 403, 404].includes(response.status))
					failures.push(`${endpoint.method} ${url} as ${actor}: ${response.status}`);
			}
		}
		console.log(`API isolation probes: ${probed} requests refused`);
		expect(failures).toEqual([]);
		expect(probed).toBeGreaterThanOrEqual(4);
	});

	it('a city’s own member reads its plan; a forged or signed-out token is anonymous', async () => {
		const owner = await bearer('viewer@meguro.example');
		const response = await app.request('/v1/cities/meguro/overview', { headers: { authorization: owner } }, bindings());
		const body = (await response.json()) as { data: { city: string; total: number } };
		expect(body.data).toMatchObject({ city: '目黒区', total: 13 });
		const forged = `${owner.slice(0, -5)}aaaaa`;
		const refused = await app.request('/v1/cities/meguro/overview', { headers: { authorization: forged } }, bindings());
		expect(refused.status).toBe(401);
		expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="mamori"');
		expect(((await refused.json()) as { reason: string }).reason).toBe('unauthenticated');
	});
});

describe('passwords in workerd (node:crypto scrypt with nodejs_compat)', () => {
	it('hashes and verifies with the production parameters', async () => {
		const hash = await hashPassword('防犯計画をみんなで守る');
		expect(hash.startsWith('$scrypt$ln=14,r=8,p=5$')).toBe(true);
		expect((await verifyPassword(hash, '防犯計画をみんなで守る')).ok).toBe(true);
		expect((await verifyPassword(hash, '防犯計画をみんなで守らない')).ok).toBe(false);
	});
});
