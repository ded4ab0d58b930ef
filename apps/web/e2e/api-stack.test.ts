// The stack `npm start` and `npm run preview:edge` run serves the API worker beside the web app,
// from workerd, against the same sqld: what the web app writes (a session at sign-in) the API
// reads, and the API's crons run against the same core database.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newId, openCore } from '@mamori/db';
import { passwordResets, users } from '@mamori/db/core';
import { apiConfig, cronsOf } from '../scripts/stack.ts';
import { signInCookie } from './http.ts';
import { apiUrl, appUrl, coreUrl } from './stack.ts';

describe('the API worker beside the web app (workerd + sqld)', () => {
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

	it('runs its nightly cleanup cron against the same core database', async () => {
		const core = openCore({ url: coreUrl });
		const userId = newId();
		const resetId = newId();
		try {
			await core.batch([
				core
					.insert(users)
					.values({ id: userId, email: `cron-${userId.toLowerCase()}@test.example`, displayName: 'cron' }),
				core.insert(passwordResets).values({
					id: resetId,
					userId,
					secretHash: 'f'.repeat(64),
					createdAt: new Date(Date.now() - 2 * 3600_000),
					expiresAt: new Date(Date.now() - 3600_000)
				})
			]);
			const cleanup = '30 18 * * *';
			expect(cronsOf(apiConfig)).toContain(cleanup);
			const response = await fetch(`${apiUrl}/__scheduled?cron=${encodeURIComponent(cleanup)}`);
			expect(response.status).toBe(200);
			// The job runs in the handler's waitUntil: wait for its effect, not for a time.
			await expect
				.poll(async () => (await core.select().from(passwordResets).where(eq(passwordResets.id, resetId))).length, {
					timeout: 30_000,
					interval: 200
				})
				.toBe(0);
		} finally {
			await core.delete(users).where(eq(users.id, userId));
			core.$client.close();
		}
	});
});
