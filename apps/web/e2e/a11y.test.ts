import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { signInCookie } from './http.ts';
import { signedInContext } from './session.ts';

// axe-core with the WCAG 2.x A/AA rules on the workspace pages, at desktop and phone widths.
describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
	let browser: Browser;
	const appUrl = inject('appUrl');
	const pages: Record<string, string> = {};

	beforeAll(async () => {
		browser = await launchBrowser();
		// A city's pages are for its members: read them as each city's viewer.
		const as = async (city: string) => ({ headers: { cookie: await signInCookie(appUrl, `viewer@${city}.example`) } });
		const html = await (await fetch(`${appUrl}/koganei`, await as('koganei'))).text();
		const initiative = /\/koganei\/initiatives\/[0-9a-f-]{36}/.exec(html)![0];
		const kpis = await (await fetch(`${appUrl}/meguro/kpis`, await as('meguro'))).text();
		const kpi = /\/meguro\/kpis\/[0-9a-f-]{36}/.exec(kpis)![0];
		Object.assign(pages, {
			top: '/',
			overview: '/koganei',
			'overview (filtered)': '/tomakomai?category=camera&q=%E9%98%B2%E7%8A%AF',
			initiative,
			'KPI list': '/meguro/kpis',
			KPI: kpi,
			history: '/koganei/history'
		});
	});
	afterAll(() => browser?.close());

	for (const width of [1280, 375]) {
		// Many pages, each loaded and analysed: on a shared 2-core machine this alone can pass 60 s.
		it(`no violations at ${width}px`, { timeout: 150_000 }, async () => {
			const results: Record<string, string[]> = {};
			for (const [name, path] of Object.entries(pages)) {
				const city = path.split(/[/?]/)[1];
				const context = city
					? await signedInContext(browser, appUrl, `viewer@${city}.example`)
					: await browser.newContext();
				const page = await context.newPage();
				await page.setViewportSize({ width, height: 800 });
				const response = await page.goto(`${appUrl}${path}`);
				expect(response?.status(), name).toBe(200);
				const { violations } = await new AxeBuilder({ page })
					.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
					.analyze();
				results[name] = violations.map(
					(v) =>
						`${v.id}: ${v.nodes
							.map((n) => n.target.join(' '))
							.slice(0, 3)
							.join(', ')}`
				);
				await context.close();
			}
			expect(results).toEqual(Object.fromEntries(Object.keys(pages).map((k) => [k, []])));
		});
	}
});
