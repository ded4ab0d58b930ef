// Statistics of a policy area and the latest-available view, with JavaScript off and on: 目黒区's
// 刑法犯認知件数 1,444件 (令和2年) stands on its 施策 and, once published, in the Tokyo official's
// views; the latest-available view sets 目黒区 and 小金井市 side by side, each row with its year.
// Each test publishes what it reads itself, as the city admins do.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pagePerTest } from './pages.ts';
import { untilEnhanced } from './browser.ts';
import { untilText } from './wait.ts';
import { appUrl } from './stack.ts';

const OFFICIAL = 'official@tokyo.example';

/** The rows of the page's first table body, as the cells' texts. */
const tableRows = (page: Page) =>
	page
		.locator('table tbody tr')
		.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())));

describe('statistics of a policy area and the latest-available view (JS off and on)', () => {
	const signedIn = pagePerTest();
	// Pages with JavaScript are used once the app has hydrated (launchBrowser's goto).
	const open = signedIn;
	const visit = async (page: Page, url: string) => {
		await page.goto(`${appUrl}${url}`);
	};

	/** A city admin publishes a fiscal year after the confirmation, as on the city's benchmarks page. */
	async function publish(slug: string, fiscalYear: number, javaScriptEnabled: boolean) {
		const page = await open(`admin@${slug}.example`, javaScriptEnabled);
		await visit(page, `/${slug}/benchmarks?year=${fiscalYear}`);
		await page.getByRole('button', { name: /この内容で公表する|最新の内容で公表し直す/ }).click();
		await page.getByRole('button', { name: '公表する', exact: true }).click();
		await untilText(page.locator('[role=status]').first(), 'の数値を公表しました。');
		await page.context().close();
	}

	for (const javaScriptEnabled of [false, true]) {
		const mode = javaScriptEnabled ? 'JS on' : 'JS off';

		it(`目黒区's 施策 1 shows 刑法犯認知件数 1,444件 of 令和2年 (${mode})`, async () => {
			const page = await open('viewer@meguro.example', javaScriptEnabled);
			await visit(page, `/meguro`);
			const href = await page
				.getByRole('link', { name: '日常生活における犯罪被害の防止' })
				.first()
				.getAttribute('href');
			await visit(page, href!);
			const section = page.locator('section[aria-labelledby=node-statistics]');
			await untilText(section, '現状と課題の数値');
			const rows = await section
				.locator('tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
			expect(rows[0]![0]).toContain('刑法犯認知件数');
			expect(rows[0]![0]).toContain('共通指標「刑法犯認知件数」として公表されます');
			expect(rows[0]!.slice(1)).toEqual(['1,444件', '令和2年（2020）', '記載なし']);
		});

		it(`staff add a figure to a 施策, are told beside the field what is wrong, and delete it (${mode})`, async () => {
			const page = await open('admin@meguro.example', javaScriptEnabled);
			await visit(page, `/meguro`);
			const href = await page.getByRole('link', { name: '防犯設備の整備促進' }).first().getAttribute('href');
			await visit(page, href!);
			const label = `街頭防犯カメラの設置台数（${mode}）`;
			await page.locator('#new-statistic-label').fill(label);
			await page.locator('#new-statistic-value').fill('たくさん');
			await page.locator('#new-statistic-unit').fill('台');
			await page.locator('#new-statistic-periodKind').selectOption('fiscal_year');
			await page.locator('#new-statistic-periodYear').fill('令和2');
			// With JavaScript, the form is enhanced before it is sent (a click sooner posts it natively,
			// and one during the next page's hydration can be lost on a busy machine).
			const add = page.locator('form[action="?/addStatistic"]');
			if (javaScriptEnabled) await untilEnhanced(add);
			await page.getByRole('button', { name: '数値を追加する' }).click();
			await untilText(page.locator('#new-statistic-value-error'), '値は数値で入力してください。');
			await expect(page.locator('#new-statistic-label').inputValue()).resolves.toBe(label);
			await expect(page.locator('section[aria-labelledby=node-statistics]').count()).resolves.toBe(0);

			await page.locator('#new-statistic-value').fill('１，２００');
			if (javaScriptEnabled) await untilEnhanced(add);
			await page.getByRole('button', { name: '数値を追加する' }).click();
			const table = page.locator('section[aria-labelledby=node-statistics]');
			await untilText(table, label);
			await expect(table.textContent()).resolves.toContain('1,200台');
			await expect(table.textContent()).resolves.toContain('令和2年度（2020）');

			await page.getByRole('button', { name: `「${label}」を削除する` }).click();
			await untilText(page.locator('[role=status]').first(), '数値を削除しました。');
			await expect(page.locator('main').textContent()).resolves.not.toContain(label);
		});

		it(`once published, the official reads 目黒区's 1,444件 per 1,000 residents (${mode})`, async () => {
			await publish('meguro', 2020, javaScriptEnabled);
			const page = await open(OFFICIAL, javaScriptEnabled);
			await visit(page, `/benchmarks?year=2020&indicator=penal_code_offences`);
			const rows = await tableRows(page);
			const meguro = rows.find((r) => r[1] === '目黒区')!;
			expect(meguro[2]).toBe('令和2年度（2020）');
			expect(meguro[3]).toContain('1,444');
			expect(meguro[3]).toContain('令和2年（2020）'); // the figure's period: 年, not 年度
			expect(meguro[3]).not.toContain('年度');
			await expect(page.locator('table thead').textContent()).resolves.toContain('人口千人あたり');
		});

		it(`the latest-available view sets 目黒区 and 小金井市 side by side, each with its year (${mode})`, async () => {
			await publish('meguro', 2020, javaScriptEnabled);
			await publish('koganei', 2019, javaScriptEnabled);
			const page = await open(OFFICIAL, javaScriptEnabled);
			await visit(page, `/benchmarks?indicator=alert_mail_subscribers`);
			await page.locator('#year').selectOption('latest');
			await page.getByRole('button', { name: '表示する' }).click();
			await page.waitForURL(/year=latest/);
			await untilText(page.locator('main h2').first(), '各自治体の最新の公表年度');
			const rows = await tableRows(page);
			const byCity = new Map(rows.map((r) => [r[1], r]));
			// 小金井市 has published 令和元年度 at the latest (its seed reports 平成30年度 and 令和元年度).
			expect(byCity.get('目黒区')?.[2]).toBe('令和2年度（2020）');
			expect(byCity.get('小金井市')?.[2]).toBe('令和元年度（2019）');
			expect(byCity.get('目黒区')?.[3]).toContain('9,000');
			expect(byCity.get('小金井市')?.[3]).toContain('11,874');
			await expect(page.locator('table thead').textContent()).resolves.toContain('人口1万人あたり');
		});
	}
});
