// Debian's chromium driven by playwright-core (no browser downloads on these machines).
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

// SvelteKit's router starts (after hydration) by listening for clicks on <html>: from then on,
// use:enhance and client navigation are in place. An init script records that moment.
// Marks when the router has started, and each form that has a submit listener (use:enhance):
// Svelte runs actions after hydration, in a later task than the router's start on a busy machine.
const WATCH_ROUTER = `(() => {
	const add = EventTarget.prototype.addEventListener;
	window.__e2eEnhanced = new WeakSet();
	EventTarget.prototype.addEventListener = function (type, ...rest) {
		if (type === 'click' && this === document.documentElement) window.__e2eRouterStarted = true;
		if (type === 'submit' && this instanceof HTMLFormElement) window.__e2eEnhanced.add(this);
		return add.call(this, type, ...rest);
	};
})();`;

/** Resolves once the app on `page` has hydrated (its router has started). */
export async function untilHydrated(page: Page): Promise<void> {
	await page.waitForFunction(() => (window as { __e2eRouterStarted?: boolean }).__e2eRouterStarted === true);
}

/** Resolves once `form` listens for its submit (the app enhanced it): a click then stays in place. */
export async function untilEnhanced(form: Locator): Promise<void> {
	const handle = await form.elementHandle();
	await form
		.page()
		.waitForFunction(
			(element) => (window as unknown as { __e2eEnhanced: WeakSet<Element> }).__e2eEnhanced.has(element!),
			handle
		);
}

const ready = new WeakSet<Page>();

/**
 * With JavaScript, a test that acts on a page before the app has hydrated races with hydration on
 * a busy machine (a choice reset, a value typed twice, a form posted without enhancement). So
 * `goto` answers once an app page has hydrated; a test that means to act before hydration (a slow
 * connection) opens the page with `waitUntil: 'domcontentloaded'` or `'commit'`.
 */
function gotoHydrated(page: Page): Page {
	if (ready.has(page)) return page;
	ready.add(page);
	const goto = page.goto.bind(page);
	page.goto = async (url, options) => {
		const response = await goto(url, options);
		const early = options?.waitUntil === 'domcontentloaded' || options?.waitUntil === 'commit';
		const app = response?.headers()['content-type']?.startsWith('text/html') && (await isApp(page));
		if (!early && app) await untilHydrated(page);
		return response;
	};
	return page;
}

/** An app page loads SvelteKit's client (a page the server answered on its own has none). */
const isApp = (page: Page) => page.evaluate(() => document.querySelector('link[rel=modulepreload]') !== null);

async function hydratingContext(context: BrowserContext): Promise<BrowserContext> {
	await context.addInitScript({ content: WATCH_ROUTER });
	context.on('page', gotoHydrated);
	const newPage = context.newPage.bind(context);
	context.newPage = async () => gotoHydrated(await newPage());
	return context;
}

/** The test browser: every context with JavaScript waits for hydration on `goto` (gotoHydrated). */
export async function launchBrowser(): Promise<Browser> {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: CHROMIUM_ARGS
	});
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (options) => {
		const context = await newContext(options);
		return options?.javaScriptEnabled === false ? context : hydratingContext(context);
	};
	return browser;
}

/** Types each value into the field its selector finds (`{ '#title': '…' }`), in order. */
export async function fillIn(scope: Page | Locator, values: Record<string, string>): Promise<void> {
	for (const [selector, value] of Object.entries(values)) await scope.locator(selector).fill(value);
}
