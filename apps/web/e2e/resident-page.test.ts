// The page for residents in a browser without JavaScript (built app in workerd, sqld): 小金井市's,
// which the demo opens, with its plan and the published years' status per policy area, read
// signed out, accessible (axe-core) and fitting at 375 px and 1280 px; a closed page answers as a
// city that does not exist; 目黒区's admin opens its page in the plan settings and closes it again
// (so the seed is left as found).
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violations } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { get, postForm } from './http.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { appUrl } from './stack.ts';

const SHOTS = process.env.MAMORI_SCREENSHOTS; // a folder: screenshots of the page at each width

/** The page's text, whitespace folded. */
const textOf = async (page: Page, selector = 'main') =>
	((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ');

/** An error page as it reads, whatever the request's nonce. */
const withoutNonces = (html: string) => html.replace(/nonce(=|-)["']?[A-Za-z0-9+/=_-]+/g, 'nonce');

describe('the page for residents, without JavaScript (running stack)', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('小金井市: its plan and 令和元年度’s status per area, signed out, at 375 and 1280 px, no axe violations', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ja-JP' });
		const page = await context.newPage();
		for (const width of [375, 1280]) {
			await page.setViewportSize({ width, height: 900 });
			const response = await page.goto(`${appUrl}/shimin/koganei`);
			expect(response?.status()).toBe(200);
			await expect(page.locator('h1').textContent()).resolves.toBe('小金井市の防犯の取組');
			const main = await textOf(page);
			expect(main).toContain('小金井市防犯指針に基づく令和元年度の取組み等について');
			expect(main).toContain('平成30年度（2018）、令和元年度（2019）'); // the published years
			expect(main).toContain('計画全体（令和元年度（2019）の状況）');
			// An area with its short summary, an initiative with its department and what was done that year.
			const area = page.locator('section.area', { has: page.locator('h4', { hasText: '地域防犯力の向上' }) });
			const figures = ((await area.locator('dl.figures').first().textContent()) ?? '').replace(/\s+/g, ' ');
			expect(figures).toMatch(/取組 \d+件/);
			expect(figures).toContain('実施率');
			expect(figures).toContain('成果指標');
			const patrol = area.locator('li', { hasText: 'CoCoパトロール隊による地域パトロール' });
			const patrolText = (await patrol.textContent())?.replace(/\s+/g, ' ');
			expect(patrolText).toContain('担当課：地域安全課');
			expect(patrolText).toContain('令和元年度（2019）の取組み（地域安全課）');
			expect(patrolText).toContain('パトロール回数 503回');
			expect(patrolText).not.toContain('パトロール回数 472回'); // 平成30年度's, another year
			// Read-only, and nothing for a script to do: no form but the year and the language, no script.
			expect(await page.locator('main form[method=POST], main form[method=post]').count()).toBe(0);
			expect(await page.locator('script').count()).toBe(0);
		}
		// axe-core runs as a script in the page: in a context with JavaScript, on the same page, which
		// sends none (csr = false), so it renders exactly as above.
		const checking = await browser.newContext({ locale: 'ja-JP' });
		const checked = await checking.newPage();
		for (const width of [375, 1280]) {
			await checked.setViewportSize({ width, height: 900 });
			expect((await checked.goto(`${appUrl}/shimin/koganei`))?.status()).toBe(200);
			// Fits the width: nothing scrolls the page sideways.
			expect(await checked.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			expect(await violations(checked), `axe at ${width} px`).toEqual([]);
			if (SHOTS) {
				mkdirSync(SHOTS, { recursive: true });
				await checked.screenshot({ path: `${SHOTS}/resident-${width}.png`, fullPage: width === 1280 });
			}
		}
		await checking.close();
		// Another published year, chosen without JavaScript: its records instead.
		await page.locator('#resident-year').selectOption('2018');
		await Promise.all([page.waitForURL(/year=2018/), page.getByRole('button', { name: '表示する' }).click()]);
		const patrol = await textOf(page, 'li:has-text("CoCoパトロール隊による地域パトロール")');
		expect(patrol).toContain('パトロール回数 472回');
		expect(await textOf(page)).toContain('計画全体（平成30年度（2018）の状況）');
		// And in English.
		await page.goto(`${appUrl}/shimin/koganei?lang=en`);
		await expect(page.locator('h1').textContent()).resolves.toBe('Crime prevention in 小金井市');
		await context.close();
	}, 240_000);

	it('the top page links the open pages, for anyone', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${appUrl}/?lang=ja`);
		await page.getByRole('link', { name: '小金井市（東京都）の防犯の取組' }).click();
		await page.waitForURL(`${appUrl}/shimin/koganei`);
		expect(await page.getByRole('link', { name: '目黒区（東京都）の防犯の取組' }).count()).toBe(0);
		await context.close();
	});

	it('headers: kept a minute by the browser when signed out, never once signed in; the security headers on both', async () => {
		const anonymous = await get(appUrl, '/shimin/koganei');
		expect(anonymous.status).toBe(200);
		expect(anonymous.headers.get('cache-control')).toBe('private, max-age=60');
		expect(anonymous.headers.get('vary')?.toLowerCase()).toContain('cookie');
		const signedIn = await get(appUrl, '/shimin/koganei', await sessionCookie(appUrl, 'viewer@meguro.example'));
		expect(signedIn.status).toBe(200);
		expect(signedIn.headers.get('cache-control')).toBe('no-store');
		for (const response of [anonymous, signedIn]) {
			expect(response.headers.get('x-frame-options')).toBe('DENY');
			expect(response.headers.get('strict-transport-security')).toBeTruthy();
			expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
			await response.body?.cancel();
		}
	});

	it('a closed page is a 404 exactly like a city that does not exist; 目黒区’s admin opens it and closes it again', async () => {
		const closed = await get(appUrl, '/shimin/meguro');
		const missing = await get(appUrl, '/shimin/no-such-city');
		expect([closed.status, missing.status]).toEqual([404, 404]);
		const body = async (r: Response, slug: string) => withoutNonces((await r.text()).replaceAll(slug, '{slug}'));
		expect(await body(closed, 'meguro')).toBe(await body(missing, 'no-such-city'));
		const headers = (r: Response) =>
			[...r.headers].filter(([k]) => !['content-security-policy', 'date', 'etag'].includes(k));
		expect(headers(closed)).toEqual(headers(missing));
		const data = await get(appUrl, '/shimin/meguro/__data.json');
		expect(data.status).toBe(404);
		await data.body?.cancel();

		const admin = 'admin@meguro.example';
		const context = await signedInContext(browser, appUrl, admin, { javaScriptEnabled: false });
		const page = await context.newPage();
		try {
			await page.goto(`${appUrl}/meguro/plan`);
			const panel = page.locator('section', { has: page.getByRole('heading', { name: '住民向けページ' }) });
			expect(await textOf(page, 'section:has(#resident-heading)')).toContain('現在の状態：非公開');
			await panel.getByRole('button', { name: '住民向けページを公開する' }).click();
			await expect(panel.getByRole('status').textContent()).resolves.toBe('住民向けページを公開しました。');
			expect(await textOf(page, 'section:has(#resident-heading)')).toContain('現在の状態：公開中');
			const opened = await get(appUrl, '/shimin/meguro');
			expect(opened.status).toBe(200);
			expect(await opened.text()).toContain('目黒区の防犯の取組');

			// The city's history says who opened it.
			await page.goto(`${appUrl}/meguro/history`);
			expect(await textOf(page)).toMatch(/住民向けページ\s*非公開\s*公開中/);

			await page.goto(`${appUrl}/meguro/plan`);
			await panel.getByRole('button', { name: '住民向けページを非公開にする' }).click();
			await expect(panel.getByRole('status').textContent()).resolves.toBe('住民向けページを非公開にしました。');
			expect((await get(appUrl, '/shimin/meguro')).status).toBe(404);
		} finally {
			// Left as found, whatever failed above.
			await postForm(
				appUrl,
				'/meguro/plan?/residentPage',
				{ residentPage: 'off' },
				{ cookie: await sessionCookie(appUrl, admin) }
			);
			await context.close();
		}
	});

	it('only the city’s admin may open it: its editor and another city’s admin are refused, and nothing changes', async () => {
		for (const email of ['editor@meguro.example', 'admin@koganei.example']) {
			const response = await postForm(
				appUrl,
				'/meguro/plan?/residentPage',
				{ residentPage: 'on' },
				{ cookie: await sessionCookie(appUrl, email) }
			);
			expect(response.status, email).toBe(403);
			await response.body?.cancel();
		}
		expect((await get(appUrl, '/shimin/meguro')).status).toBe(404);
	});
});
