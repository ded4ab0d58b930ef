import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@mamori/db/node';
import { startWorker, type Worker } from '../scripts/stack.ts';
import { launchBrowser } from './browser.ts';

// The app in workerd pointed at a database port where nothing listens.
describe('a database that cannot be reached', () => {
	let worker: Worker;
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-down-'));
	beforeAll(async () => {
		const deadPort = await freePort();
		worker = await startWorker({
			port: await freePort(),
			dataDir,
			vars: { CORE_DATABASE_URL: `http://localhost:${deadPort}/dev/core/` },
			expectStatus: 503
		});
	});
	afterAll(async () => {
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

	it('the browser shows the message to the user', async () => {
		const browser = await launchBrowser();
		try {
			const page = await (await browser.newContext()).newPage();
			const response = await page.goto(`${worker.url}/`);
			expect(response?.status()).toBe(503);
			await expect(page.locator('h1').textContent()).resolves.toContain('503');
		} finally {
			await browser.close();
		}
	});
});
