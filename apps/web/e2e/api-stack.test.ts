// The stack `npm start` runs serves the API worker beside the web app, from workerd, against the
// same sqld: what the web app writes (a session at sign-in) the API reads.
import { describe, expect, inject, it } from 'vitest';
import { signInCookie } from './http.ts';

describe('the API worker beside the web app (workerd + sqld)', () => {
	const appUrl = inject('appUrl');
	const apiUrl = inject('apiUrl');

	it('listens on its own loopback port', () => {
		expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(new URL(apiUrl).port).not.toBe(new URL(appUrl).port);
	});

	it('answers /v1/health', async () => {
		const response = await fetch(`${apiUrl}/v1/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok' });
	});

	it('reads the seeded core database', async () => {
		const response = await fetch(`${apiUrl}/v1/municipalities/132101`);
		expect(response.status).toBe(200);
		const { data } = (await response.json()) as { data: { name: string; prefectureName: string } };
		expect(data).toMatchObject({ name: '小金井市', prefectureName: '東京都' });
	});

	it('knows the session the web app created at sign-in', async () => {
		const cookie = await signInCookie(appUrl, 'viewer@koganei.example');
		const token = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
		const response = await fetch(`${apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
		expect(response.status).toBe(200);
		const { data } = (await response.json()) as { data: { email: string; cities: { slug: string }[] } };
		expect(data.email).toBe('viewer@koganei.example');
		expect(data.cities.map((c) => c.slug)).toContain('koganei');
	});

	it('answers an unknown route with problem details', async () => {
		const response = await fetch(`${apiUrl}/v1/no-such-route`);
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
	});
});
