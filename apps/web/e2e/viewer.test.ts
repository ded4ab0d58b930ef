// Each plan in its own shape, for viewers too: 目黒区's viewer reaches every 施策's page from the
// overview and reads it as the document lays it out (施策の概要, 成果指標 with 現状値 and 計画目標値,
// 現状と課題, 主な取組, 関連計画), its glossary terms without their asterisks, and no edit controls;
// 小金井市's and 苫小牧市's nodes carry their own level names; for an editor the same page still
// saves, with JavaScript off and on.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
import { untilText } from './wait.ts';
import { appUrl } from './stack.ts';

// 目黒区's four 施策 as the source document prints them: title, 成果指標 (name, 現状値, 計画目標値)
// and the number of 主な取組.
const MEGURO = [
	{
		title: '日常生活における犯罪被害の防止',
		kpis: [
			['「生活安全緊急メール」の登録者数', '9,000人', '15,000人'],
			['自転車盗難被害状況', '429件', '200件']
		],
		initiatives: 3,
		term: 'SDGs'
	},
	{
		title: '地域防犯ボランティアの活動促進',
		kpis: [
			['地域安全パトロール加入現況(団体)', '116団体', '200団体'],
			['地域安全パトロール加入現況(個人)', '172人', '300人']
		],
		initiatives: 4,
		term: 'わんわんパトロール'
	},
	{
		title: '防犯設備の整備促進',
		kpis: [
			['防犯カメラを整備している町会・自治会数', '47団体', '全団体整備'],
			['電話による特殊詐欺被害防止を目的とした機器の設置数', '784台', '2,400台']
		],
		initiatives: 2,
		term: 'SDGs'
	},
	{
		title: '消費者啓発と被害防止',
		kpis: [
			['目黒区消費生活センターのメールマガジン登録者数', '1,681人', '2,000人'],
			['消費生活サポーター(消費者力アップ講座修了者)の数', '87人', '120人'],
			['消費者トラブル防止に向けた研修・講演会等の開催数', '5回/年', '20回/年']
		],
		initiatives: 4,
		term: '見守りネットワーク'
	}
];
const NOTE = '（用語解説は計画書を参照）';
const SECTIONS = ['施策の概要', '成果指標', '現状と課題', '主な取組', '関連計画'];
/** The figures of a 施策's 現状と課題 (刑法犯認知件数 …), where it has any: a section and table of their own. */
const STATISTICS = '現状と課題の数値';

describe("目黒区's 施策 pages in a browser", () => {
	let browser: Browser;
	let context: BrowserContext | undefined;
	let nodePages: string[] = [];
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterEach(() => context?.close());
	afterAll(() => browser?.close());

	async function open(email: string, path: string, javaScriptEnabled = true): Promise<Page> {
		context = await signedInContext(browser, appUrl, email, { javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`${appUrl}${path}`);
		return page;
	}

	/** The 施策 pages the overview links the viewer to, in the order it lists them (read once). */
	async function overviewLinks(): Promise<string[]> {
		if (nodePages.length > 0) return nodePages;
		const page = await open('viewer@meguro.example', '/meguro');
		const hrefs = await page
			.locator('main a[href^="/meguro/nodes/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		await context?.close();
		nodePages = hrefs.filter((href, i) => hrefs.indexOf(href) === i);
		return nodePages;
	}

	it("the overview links the viewer to every 施策's page", async () => {
		expect(await overviewLinks()).toHaveLength(MEGURO.length);
		const page = await open('viewer@meguro.example', '/meguro');
		const links = page.locator('main a[href^="/meguro/nodes/"]');
		for (const [i, expected] of MEGURO.entries())
			await expect(links.nth(i).textContent()).resolves.toContain(expected.title);
	});

	for (const javaScriptEnabled of [false, true])
		for (const [i, expected] of MEGURO.entries())
			it(`施策 ${i + 1} shows its sections, 成果指標 and terms, and no edit controls (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
				const page = await open('viewer@meguro.example', (await overviewLinks())[i]!, javaScriptEnabled);
				const main = page.locator('main');
				await expect(page.locator('h1').textContent()).resolves.toMatch(
					new RegExp(`施策 ${i + 1}\\s*${expected.title}`)
				);
				const headings = await main.locator('h2').allTextContents();
				expect(headings.filter((h) => h !== STATISTICS)).toEqual(SECTIONS);
				// The first table is the 成果指標's (a 施策 with statistics has theirs below).
				const rows = main.locator('table').first().locator('tbody tr');
				await expect(rows.count()).resolves.toBe(expected.kpis.length);
				// Each row's cells, read without the note a glossary term carries for screen readers.
				const table = await rows.evaluateAll(
					(trs, note) =>
						trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.split(note).join(''))),
					NOTE
				);
				for (const [name, baseline, target] of expected.kpis) {
					const cells = table.find((row) => row[0]!.includes(name!))!;
					expect(cells[0]).toContain(name);
					expect(cells[1]).toContain(baseline);
					expect(cells[2]).toContain(target);
					expect(cells[2]).toContain('令和13年度（2031）');
				}
				await expect(main.locator('article.initiative').count()).resolves.toBeGreaterThanOrEqual(expected.initiatives);
				await expect(main.locator('.term', { hasText: expected.term }).count()).resolves.toBeGreaterThan(0);
				await expect(main.innerText()).resolves.not.toContain('*');
				await expect(main.locator('form, textarea, input, select, button').count()).resolves.toBe(0);
			});

	it("小金井市's 施策 is named by its plan's levels, with the 主要な施策 above it", async () => {
		const page = await open('viewer@koganei.example', '/koganei');
		await page.locator('main a[href^="/koganei/nodes/"]').nth(1).click();
		await untilText(page.locator('h1'), '施策 (1)');
		await expect(page.locator('.breadcrumb').textContent()).resolves.toContain('日常生活における安全安心の確保');
		await expect(page.locator('main h2').allTextContents()).resolves.toContain('施策');
		await expect(page.locator('main article.initiative').count()).resolves.toBeGreaterThan(0);
	});

	it("苫小牧市's 分野 shows its 分野の概要 and 取組事業", async () => {
		const page = await open('viewer@tomakomai.example', '/tomakomai');
		await page.locator('main a[href^="/tomakomai/nodes/"]').first().click();
		await untilText(page.locator('h1'), '分野 １');
		const headings = await page.locator('main h2').allTextContents();
		expect(headings).toContain('分野の概要');
		expect(headings).toContain('取組事業');
	});

	// The editor changes 施策 4's summary without JavaScript, then puts it back with JavaScript.
	const original = { summary: '' };
	for (const javaScriptEnabled of [false, true])
		it(`an editor saves 施策 4's summary on its page (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
			const page = await open('editor@meguro.example', (await overviewLinks())[3]!, javaScriptEnabled);
			const summary = page.locator('#summary');
			original.summary ||= await summary.inputValue();
			expect(original.summary).toContain('SDGs*');
			const text = javaScriptEnabled ? original.summary : `${original.summary}\n（確認用の追記）`;
			await summary.fill(text);
			await page.locator('form[action="?/update"]').getByRole('button', { name: '保存する' }).click();
			await untilText(page.locator('[role=status]').first(), '保存しました');
			await page.goto(`${appUrl}${nodePages[3]}`);
			await expect(page.locator('#summary').inputValue()).resolves.toBe(text);
			const shown = page.locator('section[aria-labelledby=node-summary]');
			await expect(shown.innerText()).resolves.toContain(javaScriptEnabled ? 'SDGs' : '（確認用の追記）');
			await expect(shown.innerText()).resolves.not.toContain('*');
		});

	it('printed, an editor’s 施策 page shows its content without forms or buttons', async () => {
		const page = await open('editor@meguro.example', (await overviewLinks())[0]!);
		await page.emulateMedia({ media: 'print' });
		await expect(page.locator('main table').first().isVisible()).resolves.toBe(true);
		await expect(page.locator('form[action="?/update"]').isVisible()).resolves.toBe(false);
		await expect(page.locator('main button:visible').count()).resolves.toBe(0);
	});
});
