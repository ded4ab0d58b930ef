// Browser contexts signed in as a demo account (seeded locally; password MAMORI_DEMO_PASSWORD,
// default mamori-demo).
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD, signInCookie } from './http.ts';

export { DEMO_PASSWORD };

// Signing in costs a scrypt hash on the server: once per account and test file is enough.
const sessions = new Map<string, Promise<string>>();

/** The session cookie (`name=value`) of `email`, signed in once per test file. */
export function sessionCookie(appUrl: string, email: string): Promise<string> {
	const key = `${appUrl} ${email}`;
	let cookie = sessions.get(key);
	if (!cookie) {
		cookie = signInCookie(appUrl, email);
		sessions.set(key, cookie);
		cookie.catch(() => sessions.delete(key));
	}
	return cookie;
}

/** A new context carrying the (shared) session of `email`. */
export async function signedInContext(
	browser: Browser,
	appUrl: string,
	email: string,
	options: { javaScriptEnabled?: boolean } = {}
): Promise<BrowserContext> {
	const [name, value] = (await sessionCookie(appUrl, email)).split('=') as [string, string];
	const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: options.javaScriptEnabled ?? true });
	await context.addCookies([{ name, value, url: appUrl }]);
	return context;
}

/** A new context signed in through the sign-in form, as a person does (its own session). */
export async function signedInThroughForm(browser: Browser, appUrl: string, email: string): Promise<BrowserContext> {
	const context = await browser.newContext({ locale: 'ja-JP' });
	const page = await context.newPage();
	await page.goto(`${appUrl}/login`);
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(DEMO_PASSWORD);
	await Promise.all([
		page.waitForURL((url) => !url.pathname.startsWith('/login')),
		page.locator('form button[type=submit]').first().click()
	]);
	await page.close();
	return context;
}
