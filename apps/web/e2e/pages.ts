// One browser per test file and one signed-in page per test, closed after it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
import { appUrl } from './stack.ts';

/** Call inside `describe`: returns `open(email, javaScriptEnabled)`; `cleanup` runs after all. */
export function pagePerTest(cleanup?: () => unknown): (email: string, javaScriptEnabled: boolean) => Promise<Page> {
	let browser: Browser;
	let context: BrowserContext | undefined;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterEach(() => context?.close());
	afterAll(async () => {
		await browser?.close();
		await cleanup?.();
	});
	return async (email, javaScriptEnabled) => {
		context = await signedInContext(browser, appUrl, email, { javaScriptEnabled });
		return context.newPage();
	};
}
