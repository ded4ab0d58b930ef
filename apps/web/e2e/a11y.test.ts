import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { violations } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { get } from './http.ts';
import { sessionCookie, signedInContext } from './session.ts';

// axe-core with the WCAG 2.x A/AA rules on the workspace pages, at desktop and phone widths:
// one page per test, so that a slow page cannot take the others' time.
describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
	let browser: Browser;
	const appUrl = inject('appUrl');
	const pages: Record<string, string> = {
		top: '/',
		overview: '/koganei',
		'overview (filtered)': '/tomakomai?category=camera&q=%E9%98%B2%E7%8A%AF',
		initiative: '',
		'KPI list': '/meguro/kpis',
		KPI: '',
		history: '/koganei/history'
	};

	beforeAll(async () => {
		browser = await launchBrowser();
		// A city's pages are for its members: read them as each city's viewer.
		const read = async (city: string, path: string) =>
			(await get(appUrl, path, await sessionCookie(appUrl, `viewer@${city}.example`))).text();
		pages.initiative = /\/koganei\/initiatives\/[0-9a-f-]{36}/.exec(await read('koganei', '/koganei'))![0];
		pages.KPI = /\/meguro\/kpis\/[0-9a-f-]{36}/.exec(await read('meguro', '/meguro/kpis'))![0];
	});
	afterAll(() => browser?.close());

	for (const width of [1280, 375])
		for (const name of Object.keys(pages))
			it(`${name}: no violations at ${width}px`, async () => {
				const path = pages[name]!;
				const city = path.split(/[/?]/)[1];
				const context = city
					? await signedInContext(browser, appUrl, `viewer@${city}.example`)
					: await browser.newContext();
				try {
					const page = await context.newPage();
					await page.setViewportSize({ width, height: 800 });
					const response = await page.goto(`${appUrl}${path}`);
					expect(response?.status(), name).toBe(200);
					expect(await violations(page)).toEqual([]);
				} finally {
					await context.close();
				}
			});
});
