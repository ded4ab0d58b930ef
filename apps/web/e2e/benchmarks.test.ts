import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
import { untilText } from './wait.ts';
import { appUrl } from './stack.ts';

// The prefectural official's journey over the demo publications (the local seed publishes them).
describe('benchmarks for a prefectural official', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());

	it('opens the indicator view, switches fiscal year, and downloads CSV whose rows match the page', async () => {
		const context = await signedInContext(browser, appUrl, 'official@tokyo.example');
		const page = await context.newPage();
		await page.goto(`${appUrl}/benchmarks?indicator=alert_mail_subscribers`);
		expect(await page.locator('#pref option').allTextContents()).toEqual(['東京都']);
		const years = await page.locator('#year option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
		expect(years).toEqual(['latest', '2020', '2019', '2018']);
		await expect(page.locator('table tbody').textContent()).resolves.toContain('目黒区');

		await page.locator('#year').selectOption('2019');
		await page.getByRole('button', { name: '表示する' }).click();
		await page.waitForURL(/year=2019/);
		const rows = await page
			.locator('table tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim()))
			);
		expect(rows.map((r) => r[1])).toEqual(['小金井市']);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: /CSV/ }).click()
		]);
		const csv = await (
			await download.createReadStream()
		)
			.toArray()
			.then((chunks) => Buffer.concat(chunks).toString('utf8'));
		expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads it as UTF-8
		const lines = csv
			.slice(1)
			.trim()
			.split('\r\n')
			.map((l) => l.split(','));
		expect(lines[0]!.slice(0, 3)).toEqual(['順位', '団体コード', '団体名']);
		expect(lines.slice(1, -1).map((l) => [l[0], l[2], l[4]])).toEqual([['1', '小金井市', '11874']]);
		expect(rows[0]![2]).toBe('令和元年度（2019）');
		expect(rows[0]![3]).toContain('11,874');
		await context.close();
	});

	it('the 北海道 official cannot see 東京都 cities in any view or export', async () => {
		const context = await signedInContext(browser, appUrl, 'official@hokkaido.example');
		const page = await context.newPage();
		for (const path of [
			'/benchmarks',
			'/benchmarks/trend',
			'/benchmarks/coverage',
			'/benchmarks/compare?city=131105&city=132101'
		]) {
			await page.goto(`${appUrl}${path}`);
			const text = (await page.locator('main').textContent()) ?? '';
			expect(text, path).not.toMatch(/目黒区|小金井市/);
		}
		for (const path of [
			'/benchmarks?pref=13',
			'/benchmarks/coverage?pref=13',
			'/benchmarks/csv/indicator?pref=13&year=2020'
		]) {
			const response = await page.request.get(`${appUrl}${path}`);
			expect(response.status(), path).toBe(403);
		}
		const csv = await page.request.get(`${appUrl}/benchmarks/csv/coverage?pref=01`);
		expect(csv.status()).toBe(200);
		expect(await csv.text()).not.toMatch(/目黒区|小金井市/);
		await context.close();
	});

	it('a city admin previews what will be shared and publishes; a city sees its standing', async () => {
		const context = await signedInContext(browser, appUrl, 'admin@koganei.example');
		const page = await context.newPage();
		await page.goto(`${appUrl}/koganei/benchmarks?year=2019`);
		await expect(page.locator('main').textContent()).resolves.toContain('パトロール実施回数');
		await page.getByRole('button', { name: '最新の内容で公表し直す' }).click();
		await page.getByRole('button', { name: '公表する', exact: true }).click(); // the confirmation
		await untilText(page.locator('[role=status]').first(), '公表しました');
		await page.goto(`${appUrl}/koganei/history`);
		await expect(page.locator('.history').textContent()).resolves.toContain('公表');
		await context.close();

		const viewer = await signedInContext(browser, appUrl, 'viewer@koganei.example');
		const v = await viewer.newPage();
		await v.goto(`${appUrl}/koganei/benchmarks?year=2019`);
		await expect(v.getByRole('button', { name: /公表/ }).count()).resolves.toBe(0);
		await viewer.close();
	});
});
