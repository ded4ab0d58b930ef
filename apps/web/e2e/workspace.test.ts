import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fillIn, launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
import { untilText } from './wait.ts';
import { appUrl } from './stack.ts';

// The main journeys of city staff, as an editor of each seed city, with and without JavaScript.
const cities = [
	{ slug: 'meguro', editor: 'editor@meguro.example' },
	{ slug: 'koganei', editor: 'editor@koganei.example' },
	{ slug: 'tomakomai', editor: 'editor@tomakomai.example' }
];

async function firstInitiative(page: Page, appUrl: string, slug: string, nth: number): Promise<string> {
	await page.goto(`${appUrl}/${slug}`);
	const href = await page.locator(`a[href^="/${slug}/initiatives/"]`).nth(nth).getAttribute('href');
	return `${appUrl}${href}`;
}

describe('plan workspace journeys in a browser', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());

	for (const javaScriptEnabled of [true, false]) {
		for (const [index, city] of cities.entries()) {
			// One journey, one step per test; each step opens its own page on the same initiative.
			describe(`${city.slug}: an editor's journey (JS ${javaScriptEnabled ? 'on' : 'off'})`, () => {
				const stamp = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
				let url = '';
				let context: BrowserContext;
				let page: Page;
				beforeEach(async () => {
					context = await signedInContext(browser, appUrl, city.editor, { javaScriptEnabled });
					page = await context.newPage();
					page.on('dialog', (d) => void d.accept());
					// A different initiative per run, so the runs do not disturb each other.
					url ||= await firstInitiative(page, appUrl, city.slug, index + (javaScriptEnabled ? 0 : 3));
					await page.goto(url);
				});
				afterEach(() => context?.close());

				it('edits the initiative: description and a category', async () => {
					await page.locator('#description').fill(`説明を更新しました ${stamp}`);
					await page.getByRole('checkbox', { name: '暴力団排除' }).check();
					await page.getByRole('button', { name: '保存する' }).click();
					await untilText(page.locator('[role=status]').first(), '保存しました');
					await page.goto(url);
					await expect(page.locator('.facts').textContent()).resolves.toContain(`説明を更新しました ${stamp}`);
					await expect(page.locator('.facts').textContent()).resolves.toContain('暴力団排除');
				});

				it("adds a fiscal year's record with a metric", async () => {
					await fillIn(page, {
						'#fiscalYear': '2025',
						'#text': `・パトロール回数 321回 ${stamp}`,
						'#metricLabel': 'パトロール回数',
						'#metricValue': '321',
						'#metricUnit': '回'
					});
					await page.getByRole('button', { name: '年度の取組を追加' }).click();
					await untilText(page.locator('table').first(), '令和7年度（2025）');
					await expect(page.locator('table').first().textContent()).resolves.toContain('321回');
				});

				it('the edit is in the history, with before and after, and who made it by account and role', async () => {
					await page.goto(`${appUrl}/${city.slug}/history`);
					const entry = page
						.locator('.history > li')
						.filter({ hasText: `説明を更新しました ${stamp}` })
						.first();
					await expect(entry.textContent()).resolves.toContain(`${city.editor}（編集者）`);
				});

				it('deletes the initiative', async () => {
					const version = await page.locator('form[action="?/delete"] input[name=version]').inputValue();
					expect(Number(version)).toBeGreaterThan(1);
					await page.getByRole('button', { name: 'この取組を削除する' }).click();
					await untilText(page.locator('[role=status]').first(), '削除しました');
				});

				it('restores it from the history', async () => {
					await page.goto(`${appUrl}/${city.slug}/history`);
					await page.getByRole('button', { name: '復元する' }).first().click();
					await untilText(page.locator('[role=status]').first(), '復元しました');
					await page.goto(url);
					await expect(page.getByText('この取組は削除されています').count()).resolves.toBe(0);
				});
			});
		}
	}

	it('enters a KPI value (目黒区)', async () => {
		const meguro = await signedInContext(browser, appUrl, 'editor@meguro.example');
		const page = await meguro.newPage();
		await page.goto(`${appUrl}/meguro/kpis`);
		await page.locator('a[href^="/meguro/kpis/"]').first().click();
		await page.locator('#periodYear').fill('2024');
		await page.locator('#value').fill('11,200');
		await page.getByRole('button', { name: '保存する' }).first().click();
		await untilText(page.locator('[role=status]').first(), '値を保存しました');
		await page.reload();
		await expect(page.locator('table').first().textContent()).resolves.toContain('11,200');
		await expect(page.locator('svg.chart circle').count()).resolves.toBeGreaterThan(1);
		await meguro.close();
	});

	it('adds a KPI where a city has none (小金井市)', async () => {
		const koganei = await signedInContext(browser, appUrl, 'editor@koganei.example');
		const k = await koganei.newPage();
		await k.goto(`${appUrl}/koganei/kpis`);
		await fillIn(k, {
			'#new-name': 'こがねい安全・安心メール登録者数',
			'#new-unit': '人',
			'#new-baselineValue': '11874',
			'#new-baselineYear': '2019',
			'#new-targetValue': '15000',
			'#new-targetYear': '2026'
		});
		await k.getByRole('button', { name: '成果指標を追加' }).click();
		await k.waitForURL(/\/koganei\/kpis\/[0-9a-f-]{36}$/);
		await expect(k.locator('h1').textContent()).resolves.toBe('こがねい安全・安心メール登録者数');
		await koganei.close();
	});

	it('two editors save the same initiative: the second is refused with the conflict message and keeps their text', async () => {
		const a = await signedInContext(browser, appUrl, 'editor@koganei.example');
		const b = await signedInContext(browser, appUrl, 'admin@koganei.example');
		const pageA = await a.newPage();
		const pageB = await b.newPage();
		const url = await firstInitiative(pageA, appUrl, 'koganei', 10);
		await pageA.goto(url);
		await pageB.goto(url);
		await pageA.locator('#title').fill('Aさんの変更');
		await pageA.getByRole('button', { name: '保存する' }).click();
		await untilText(pageA.locator('[role=status]').first(), '保存しました');

		await pageB.locator('#title').fill('Bさんの変更');
		await pageB.getByRole('button', { name: '保存する' }).click();
		const alert = pageB.locator('.conflict[role=alert]');
		await untilText(alert, '他の人が先に保存しました');
		await expect(pageB.locator('[data-testid=conflict-current-title]').textContent()).resolves.toBe('Aさんの変更');
		await expect(pageB.locator('#title').inputValue()).resolves.toBe('Bさんの変更'); // nothing lost
		// Saving again applies B's change on top of A's.
		await pageB.getByRole('button', { name: '保存する' }).click();
		await untilText(pageB.locator('[role=status]').first(), '保存しました');
		await pageA.goto(url);
		await expect(pageA.locator('h1').textContent()).resolves.toBe('Bさんの変更');
		await a.close();
		await b.close();
	});

	it('refuses invalid input beside the field, in Japanese, and writes nothing', async () => {
		const context = await signedInContext(browser, appUrl, 'editor@tomakomai.example', { javaScriptEnabled: false });
		const page = await context.newPage();
		const url = await firstInitiative(page, appUrl, 'tomakomai', 20);
		await page.goto(url);
		const title = await page.locator('h1').textContent();

		await page.locator('#title').fill('');
		await page.getByRole('button', { name: '保存する' }).click();
		await expect(page.locator('#title-error').textContent()).resolves.toBe('取組名を入力してください。');
		await page.locator('#title').fill('あ'.repeat(201));
		await page.getByRole('button', { name: '保存する' }).click();
		await expect(page.locator('#title-error').textContent()).resolves.toBe('取組名は200文字以内で入力してください。');

		await page.goto(url);
		await fillIn(page, {
			'#fiscalYear': '2025',
			'#text': 'テスト',
			'#metricLabel': '回数',
			'#metricValue': 'たくさん',
			'#metricUnit': '回'
		});
		await page.getByRole('button', { name: '年度の取組を追加' }).click();
		await expect(page.locator('#metricValue-error').textContent()).resolves.toBe('数値は数値で入力してください。');

		await page.goto(`${appUrl}/tomakomai/kpis`);
		await fillIn(page, {
			'#new-name': 'テスト指標',
			'#new-unit': '件',
			'#new-baselineYear': '2024',
			'#new-targetYear': '2020'
		});
		await page.getByRole('button', { name: '成果指標を追加' }).click();
		await expect(page.locator('#new-targetYear-error').textContent()).resolves.toBe(
			'目標年度は基準年度以降にしてください。'
		);

		await page.goto(url);
		await expect(page.locator('h1').textContent()).resolves.toBe(title);
		await expect(page.locator('table').first().textContent()).resolves.not.toContain('たくさん');
		await page.goto(`${appUrl}/tomakomai/kpis`);
		await expect(page.locator('main').textContent()).resolves.not.toContain('テスト指標');
		await context.close();
	});

	it('a viewer sees no edit controls, and a direct POST from a viewer is refused', async () => {
		const context = await signedInContext(browser, appUrl, 'viewer@meguro.example');
		const page = await context.newPage();
		const url = await firstInitiative(page, appUrl, 'meguro', 0);
		await page.goto(url);
		await expect(page.locator('main form[method=POST]').count()).resolves.toBe(0); // the header's sign-out form aside
		await expect(page.getByRole('button', { name: '保存する' }).count()).resolves.toBe(0);
		const title = await page.locator('h1').textContent();
		const response = await page.request.post(`${url}?/update`, {
			form: { version: '1', title: '閲覧者の変更', categoryCodes: 'patrol' },
			headers: { origin: appUrl }
		});
		expect([403, 404]).toContain(response.status());
		await page.reload();
		await expect(page.locator('h1').textContent()).resolves.toBe(title);
		await context.close();
	});
});
