import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
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

	it('a form answered with 503 carries the security headers and is not stored', async () => {
		const response = await fetch(`${worker.url}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: worker.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'editor@meguro.example', password: 'a password of mine' })
		});
		expect(response.status).toBe(503);
		for (const name of [
			'content-security-policy',
			'strict-transport-security',
			'x-content-type-options',
			'referrer-policy'
		])
			expect(response.headers.get(name), name).toBeTruthy();
		expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
		expect(response.headers.get('cache-control')).toBe('no-store');
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

// The app in workerd pointed at a database that accepts connections and never answers, as a
// stopped (not killed) sqld does: every request is abandoned at its deadline, and the page says
// so with 503 instead of waiting for the client's own 45 s.
describe('a database that hangs', () => {
	let worker: Worker;
	let hung: Server;
	const sockets = new Set<Socket>();
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-hung-'));
	beforeAll(async () => {
		hung = createServer((socket) => sockets.add(socket));
		await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
		const address = hung.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		worker = await startWorker({
			port: await freePort(),
			dataDir,
			vars: { CORE_DATABASE_URL: `http://127.0.0.1:${port}/dev/core/`, DATABASE_DEADLINE_MS: '1000' },
			expectStatus: 503
		});
	});
	afterAll(async () => {
		await worker?.stop();
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => hung.close(resolve));
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('answers 503 with a clear Japanese page once the deadline passes', async () => {
		const started = Date.now();
		const response = await fetch(`${worker.url}/meguro`);
		expect(response.status).toBe(503);
		// The deadline is 1 s a request; without one the client waits 45 s. The margin is for a busy machine.
		expect(Date.now() - started).toBeLessThan(20_000);
		expect(await response.text()).toContain('データベースに接続できません');
	});
});
