// Signing in as a demo account (seeded locally; password MAMORI_DEMO_PASSWORD, default mamori-demo).
import type { Browser, BrowserContext } from 'playwright-core';

export const DEMO_PASSWORD = process.env.MAMORI_DEMO_PASSWORD ?? 'mamori-demo';

export async function signedInContext(
	browser: Browser,
	appUrl: string,
	email: string,
	options: { javaScriptEnabled?: boolean } = {}
): Promise<BrowserContext> {
	const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: options.javaScriptEnabled ?? true });
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
