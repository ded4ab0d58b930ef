import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@mamori/db/node';
import { startWorker, type Worker } from '../scripts/stack.ts';
import { launchBrowser } from './browser.ts';
import { get } from './http.ts';

// The app in workerd pointed at a database port where nothing listens.
describe('a database that cannot be reached', () => {
	let worker: Worker;
	let browser: Browser;
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-down-'));
	beforeAll(async () => {
		const deadPort = await freePort();
		[worker, browser] = await Promise.all([
			startWorker({
				port: await freePort(),
				dataDir,
				vars: { CORE_DATABASE_URL: `http://localhost:${deadPort}/dev/core/` },
				expectStatus: 503
			}),
			launchBrowser()
		]);
	});
	afterAll(async () => {
		await browser?.close();
		await worker?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	for (const path of ['/', '/meguro']) {
		it(`${path} answers 503 with a clear Japanese page, not a stack trace`, async () => {
			const response = await fetch(`${worker.url}${path}`);
			expect(response.status).toBe(503);
			expect(response.headers.get('retry-after')).toBe('30');
			const html = await response.text();
			expect(html).toContain('データベースに接続できません');
			expect(html).not.toMatch(/at \S+ \(|\.ts:\d+|\.js:\d+|LibsqlError|ECONNREFUSED|fetch failed/);
		});
	}

	it('a signed-in request says so with 503, not "sign in"', async () => {
		const cookie = `mamori_session=${'a'.repeat(24)}.${'b'.repeat(24)}`;
		for (const path of ['/account', '/operator', '/meguro/kpis']) {
			const response = await get(worker.url, path, cookie);
			expect(response.status, path).toBe(503);
			expect(response.headers.get('retry-after')).toBe('30');
			expect(await response.text()).toContain('データベースに接続できません');
		}
	});

	it('the browser shows the message to the user', async () => {
		const context = await browser.newContext();
		try {
			const page = await context.newPage();
			const response = await page.goto(`${worker.url}/`);
			expect(response?.status()).toBe(503);
			await expect(page.locator('h1').textContent()).resolves.toContain('503');
		} finally {
			await context.close();
		}
	});
});
