// On a slow connection the page is usable before its scripts arrive: what the user types or chooses
// then is still there once the app has hydrated, and is what the form sends. The app's scripts are
// held back until the user has acted.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, untilHydrated } from './browser.ts';
import { openDatabases } from './dump.ts';
import { signedInContext } from './session.ts';
import { storedRow } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);

describe('choices made before the app hydrates', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		for (const db of Object.values(databases)) db.close();
	});

	/** Opens `path` with the app's scripts held; `act` runs on the bare page, then they arrive. */
	async function beforeHydration(email: string, path: string, act: (page: Page) => Promise<unknown>) {
		const context = await signedInContext(browser, appUrl, email);
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await context.route('**/_app/immutable/**/*.js', async (route) => {
			await held;
			await route.continue();
		});
		const page = await context.newPage();
		await page.goto(`${appUrl}${path}`, { waitUntil: 'domcontentloaded' });
		expect(await page.evaluate(() => (window as { __e2eRouterStarted?: boolean }).__e2eRouterStarted)).toBeFalsy();
		await act(page);
		release();
		await untilHydrated(page);
		return { page, close: () => context.close() };
	}

	it('a KPI’s 数値の種類 chosen early is kept and sent', async () => {
		const kpi = (await storedRow(
			databases.meguro,
			"SELECT id, version FROM indicators WHERE shared_indicator_code = 'alert_mail_subscribers'"
		))!;
		const { page, close } = await beforeHydration('admin@meguro.example', `/meguro/kpis/${String(kpi.id)}`, (p) =>
			p.locator('#kpi-stockFlow').selectOption('flow')
		);
		try {
			expect(await page.locator('#kpi-stockFlow').inputValue()).toBe('flow');
			await page.locator('form[action="?/update"] button[type=submit]').click();
			// The server answers the choice that was sent: a flow does not fit this stock indicator.
			await untilText(
				page.locator('#kpi-sharedIndicatorCode-error'),
				'この共通指標は年度末時点の累計（ストック）の数値です。'
			);
			expect(await page.locator('#kpi-stockFlow').inputValue()).toBe('flow');
		} finally {
			await close();
		}
		expect(await storedRow(databases.meguro, 'SELECT version FROM indicators WHERE id = ?', [kpi.id])).toEqual({
			version: kpi.version
		});
	});

	it('a yearly record’s text and 区分 changed early are both kept', async () => {
		const record = (await storedRow(
			databases.koganei,
			"SELECT id, initiative_id, text, phase FROM yearly_records WHERE phase = 'actual' ORDER BY id LIMIT 1"
		))!;
		const id = String(record.id);
		const { page, close } = await beforeHydration(
			'admin@koganei.example',
			`/koganei/initiatives/${String(record.initiative_id)}`,
			async (p) => {
				await p.locator(`#record-${id}-text`).fill(`${String(record.text)}（見直し前）`);
				await p.locator(`#record-${id}-phase`).selectOption('plan');
			}
		);
		try {
			expect(await page.locator(`#record-${id}-text`).inputValue()).toBe(`${String(record.text)}（見直し前）`);
			expect(await page.locator(`#record-${id}-phase`).inputValue()).toBe('plan');
		} finally {
			await close();
		}
	});
});
