// axe-core with the WCAG 2.x A/AA rules (axe.ts) on every page a crawl finds, as each kind of
// user: anonymous, a city's viewer, editor and admin (小金井市, the deepest plan tree), the other
// seed cities' admins, the 東京都 official and the operator; at 1280 px and 375 px; one test per
// page, loaded once and checked at both widths. One page per route and user (the same route on another record adds nothing);
// a page with a filter form (GET) is also checked filtered, with each select on another option.
// A page added later is checked without editing this file.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { violations, WCAG_TAGS } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { crawl, routeKey, type CrawledForm } from './crawl.ts';
import { SEED_CITIES } from './dump.ts';
import { submission } from './html.ts';
import { isVisibleData } from './forms.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { appUrl } from './stack.ts';

const ROLES: { who: string; email?: string; start: string[] }[] = [
	{ who: 'anonymous', start: ['/', '/login', '/reset-password'] },
	...(['viewer', 'editor', 'admin'] as const).map((role) => ({
		who: `${role}@koganei`,
		email: `${role}@koganei.example`,
		start: ['/koganei', '/account']
	})),
	{ who: 'admin@meguro', email: 'admin@meguro.example', start: ['/meguro'] },
	{ who: 'admin@tomakomai', email: 'admin@tomakomai.example', start: ['/tomakomai'] },
	{ who: 'official@tokyo', email: 'official@tokyo.example', start: ['/benchmarks', '/account'] },
	{ who: 'operator', email: 'operator@mamori.example', start: ['/operator', '/account'] }
];
const WIDTHS = [1280, 375];
/** A link whose token is the credential (an invitation in the outbox) is no page to crawl. */
const skip = (url: URL) => routeKey(url).includes('[token]');

/** The filter form's URL with each select on another option than served (searches as served). */
function filtered(form: CrawledForm): string | null {
	const selects = form.fields.filter((c) => c.element === 'select' && isVisibleData(c));
	if (selects.length === 0) return null;
	const fields = form.fields.map((c) => {
		if (!selects.includes(c)) return c;
		const other = c.options?.find((o) => !o.selected && o.value !== '');
		return other ? { ...c, options: c.options!.map((o) => ({ ...o, selected: o === other })) } : c;
	});
	const url = new URL(form.action, appUrl);
	url.search = new URLSearchParams(submission({ controls: fields })).toString();
	return url.pathname + url.search;
}

const pages: { who: string; email?: string; path: string; route: string }[] = [];
const seen = new Set<string>();
for (const role of ROLES) {
	const result = await crawl(appUrl, {
		...(role.email ? { cookie: await sessionCookie(appUrl, role.email) } : {}),
		start: role.start,
		skip,
		key: (u) => routeKey(u, [...SEED_CITIES])
	});
	if (result.truncated.length > 0) throw new Error(`crawl as ${role.who} truncated`);
	for (const page of result.pages) {
		if (page.status !== 200) continue;
		const route = routeKey(new URL(page.url, appUrl), [...SEED_CITIES]);
		// A city's pages differ by role (what may be edited); the others are checked once.
		const key = route.startsWith('/[tenant]') ? `${role.who} ${route}` : route;
		if (seen.has(key)) continue;
		seen.add(key);
		pages.push({ who: role.who, ...(role.email ? { email: role.email } : {}), path: page.url, route });
		const filter = page.getForms?.find((f) => f.fields.some(isVisibleData));
		const variant = filter && filtered(filter);
		if (variant && variant !== page.url) pages.push({ ...pages.at(-1)!, path: variant, route: `${route} (filtered)` });
	}
}
console.log(
	`a11y crawl: ${pages.length} pages × ${WIDTHS.length} widths = ${pages.length * WIDTHS.length} checks\n` +
		pages.map((p) => `  ${p.who.padEnd(18)} ${p.path}`).join('\n')
);

describe('accessibility of every crawled page (axe-core, WCAG 2.2 AA)', () => {
	let browser: Browser;
	// One tab per account for the whole file, each test loading its page in it: a page is checked,
	// not a sign-in or a new tab (on a busy machine a tab costs as much as a page load).
	const tabs = new Map<string, Promise<Page>>();
	const tabOf = (email?: string) => {
		const key = email ?? '';
		if (!tabs.has(key))
			tabs.set(
				key,
				(email ? signedInContext(browser, appUrl, email) : browser.newContext({ locale: 'ja-JP' })).then((c) =>
					c.newPage()
				)
			);
		return tabs.get(key)!;
	};
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());

	it('the rules run include scrollable-region-focusable (tagged wcag2a)', () => {
		const rules = axe.getRules(WCAG_TAGS).map((r) => r.ruleId);
		expect(rules).toContain('scrollable-region-focusable');
	});

	it('the crawls found the pages of every kind of user', () => {
		for (const route of [
			'/',
			'/login',
			'/[tenant]',
			'/[tenant]/initiatives/[id]',
			'/[tenant]/kpis',
			'/benchmarks',
			'/operator'
		])
			expect(pages.map((p) => p.route)).toContain(route);
	});

	// Each page is loaded once and checked at every width: the layout reflows on resize.
	for (const p of pages)
		it(`${p.route} as ${p.who} (${p.path}): no violations and no sideways scroll at ${WIDTHS.join(' and ')}px`, async () => {
			const page = await tabOf(p.email);
			await page.setViewportSize({ width: WIDTHS[0]!, height: 800 });
			const response = await page.goto(`${appUrl}${p.path}`);
			expect(response?.status(), p.path).toBe(200);
			for (const width of WIDTHS) {
				await page.setViewportSize({ width, height: 800 });
				expect(await violations(page), `at ${width}px`).toEqual([]);
				// Nothing but a table's own scroll region is wider than the screen (WCAG 1.4.10 reflow).
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				expect(overflow, `the page scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
			}
		});
});
