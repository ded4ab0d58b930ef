import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
import { appUrl } from './stack.ts';

describe('public pages in a browser (workerd + sqld)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('the top page lists the seeded cities, in Japanese, from sqld', async () => {
		// A city's pages are for its members: sign in as one of 小金井市's.
		const context = await signedInContext(browser, appUrl, 'viewer@koganei.example');
		const page = await context.newPage();
		const response = await page.goto(`${appUrl}/`);
		expect(response?.status()).toBe(200);
		expect(await page.getAttribute('html', 'lang')).toBe('ja');
		await expect(page.locator('h1').textContent()).resolves.toBe('参加している自治体');
		const cities = await page.locator('ul.cities li').allTextContents();
		// In code order. Other tests may subscribe more cities (the operator console): look at the seed ones.
		const seed = ['北海道 苫小牧市', '東京都 目黒区', '東京都 小金井市'];
		expect(cities.map((c) => c.trim()).filter((c) => seed.includes(c))).toEqual(seed);

		await page.getByRole('link', { name: '東京都 小金井市' }).click();
		await page.waitForURL(`${appUrl}/koganei`);
		await expect(page.locator('h1').textContent()).resolves.toBe(
			'小金井市防犯指針に基づく令和元年度の取組み等について'
		);
		await expect(page.locator('main').textContent()).resolves.toContain('地域防犯力の向上');
		await context.close();
	});

	it('switches to English and back without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${appUrl}/`);
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.locator('h1').textContent()).resolves.toBe('Participating municipalities');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await page.getByRole('button', { name: '日本語' }).click();
		await expect(page.locator('h1').textContent()).resolves.toBe('参加している自治体');
		await context.close();
	});

	it('switches to English with JavaScript, and the hydrated client keeps it on client-side navigation', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		const problems: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error' || message.text().includes('hydration')) problems.push(message.text());
		});
		await page.goto(`${appUrl}/`);
		await page.getByRole('button', { name: 'English' }).click();
		await page.waitForURL(/lang=en/);
		await expect(page.locator('h1').textContent()).resolves.toBe('Participating municipalities');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		// A client-side navigation renders in the browser: it must be English too.
		await page.getByRole('link', { name: 'Sign in' }).click();
		await page.waitForURL((url) => url.pathname === '/login');
		await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
		// The cookie keeps the choice for the next visit.
		await page.goto(`${appUrl}/`);
		expect(await page.getAttribute('html', 'lang')).toBe('en');
		await page.getByRole('button', { name: '日本語' }).click();
		await expect(page.locator('h1').textContent()).resolves.toBe('参加している自治体');
		expect(problems).toEqual([]);
		await context.close();
	});

	it('an unknown city is a Japanese 404 page', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		const response = await page.goto(`${appUrl}/no-such-city`);
		expect(response?.status()).toBe(404);
		await expect(page.locator('[role=alert]').textContent()).resolves.toContain('ページが見つかりません');
		await context.close();
	});
});
