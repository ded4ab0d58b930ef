// Taxonomy version 2 as the operator publishes it (confirmed first, JavaScript on) and as the cities
// and the officials see it afterwards; the same POST sent again without JavaScript is refused and
// writes nothing. The publication 目黒区 made under version 1 still shows under version 1.
import { describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { differences, dump, openDatabases } from './dump.ts';
import { postForm } from './http.ts';
import { pagePerTest } from './pages.ts';
import { sessionCookie } from './session.ts';
import { storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const databases = openDatabases(coreUrl, sqldHttpUrl);
const OPERATOR = 'operator@mamori.example';

const status = async (version: number) =>
	(await core.execute({ sql: 'SELECT status FROM taxonomy_versions WHERE version = ?', args: [version] })).rows[0]
		?.status;

describe('publishing taxonomy version 2', () => {
	const open = pagePerTest(() => {
		core.close();
		for (const db of Object.values(databases)) db.close();
	});

	it('目黒区 publishes 令和2年度 while version 1 is in force (the publication the last tests read)', async () => {
		expect(await status(2)).toBe('draft');
		const answer = await postForm(
			appUrl,
			'/meguro/benchmarks?/publish',
			{ fiscalYear: '2020' },
			{ cookie: await sessionCookie(appUrl, 'admin@meguro.example') }
		);
		expect(answer.status).toBe(200);
		const published = await core.execute(
			"SELECT p.taxonomy_version AS version FROM benchmark_publications p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'meguro' AND p.fiscal_year = 2020"
		);
		expect(published.rows.map((r) => r.version)).toEqual([1]);
	});

	it('the operator sees the draft, the mapping and each city’s changes, and confirms on a page of its own (375 px)', async () => {
		expect(await status(2)).toBe('draft');
		const page = await open(OPERATOR, true);
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${appUrl}/operator/taxonomy`);
		const main = page.locator('main');
		await untilText(main.locator('h2'), '第2版（下書き）');
		for (const text of [
			'万引きの防止',
			'闇バイト等の犯罪実行者募集への対策',
			'侵入犯罪・自動車盗等の防止',
			'目黒区',
			'小金井市'
		])
			expect(await main.textContent()).toContain(text);
		await page.getByRole('button', { name: '第2版を公開する' }).click();
		await untilText(page.locator('#confirm-heading'), '第2版を公開しますか？');
		// Nothing is written until the operator confirms; the page fits a phone's width.
		expect(await status(2)).toBe('draft');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	});

	it('confirming moves every city and puts version 2 in force', async () => {
		const page = await open(OPERATOR, true);
		await page.goto(`${appUrl}/operator/taxonomy?confirm=2`);
		await page.getByRole('button', { name: '公開して分類を移行する' }).click();
		await untilText(page.locator('[role=status]'), '第2版を公開しました');
		expect(await status(2)).toBe('published');
	});

	it('目黒区’s history words the move: the categories before and after', async () => {
		const admin = await open('admin@meguro.example', false);
		await admin.goto(`${appUrl}/meguro/history`);
		const entry = admin.locator('.history li').filter({ hasText: '分類の移行' }).first();
		await untilText(entry, '分類（共通分類）');
		expect(await entry.textContent()).toContain('犯罪被害者等支援');
	});

	// The seeds give one initiative a category to check (苫小牧市's 見守りネットワーク, which version 2
	// also files under 認知症の方の行方不明): found with JavaScript, confirmed without.
	const toCheck = () =>
		storedRows(
			databases.tomakomai,
			'SELECT id, title FROM initiatives WHERE taxonomy_review IS NOT NULL AND deleted_at IS NULL'
		);

	it('苫小牧市’s admin is told of the categories to check and finds them from the plan page (JS on)', async () => {
		const flagged = await toCheck();
		expect(flagged.map((f) => f.title)).toEqual(['苫小牧市認知症高齢者等の見守りネットワーク事業との連携']);
		const admin = await open('admin@tomakomai.example', true);
		await admin.goto(`${appUrl}/tomakomai`);
		await untilText(admin.locator('main .notice').first(), '1件の取組に分類が加わりました');
		await admin.getByRole('link', { name: '確認が必要な取組を表示' }).click();
		await admin.waitForURL(/review=1/);
		await untilText(admin.locator('main [role=status]').first(), '1 件を表示');
		const titles = await admin.locator('ul.initiatives a.title').allTextContents();
		expect(titles).toHaveLength(1);
		expect(titles[0]).toContain(String(flagged[0]!.title));
		await untilText(admin.locator('ul.initiatives'), '分類の確認待ち');
		await admin.locator('ul.initiatives a.title').click();
		await untilText(admin.locator('.review'), '「認知症の方等の行方不明への対応」が加わりました');
	});

	it('苫小牧市’s admin confirms the categories without JavaScript: the request is cleared and recorded', async () => {
		const [first] = await toCheck();
		const admin = await open('admin@tomakomai.example', false);
		await admin.goto(`${appUrl}/tomakomai/initiatives/${String(first!.id)}`);
		const before = await dump(databases);
		await admin.getByRole('button', { name: 'この分類で確認済みにする' }).click();
		await untilText(admin.locator('[role=status]').first(), '分類を確認済みにしました。');
		expect(await admin.locator('.review').count()).toBe(0);
		// Only the initiative changed (its request cleared, its version moved); the history says so.
		expect(differences(before, await dump(databases)).map((d) => d.split(':')[0])).toEqual(['tomakomai.initiatives']);
		expect(await toCheck()).toEqual([]);
		const [entry] = await storedRows(
			databases.tomakomai,
			'SELECT action FROM audit_log WHERE entity_id = ? ORDER BY at DESC LIMIT 1',
			[first!.id]
		);
		expect(entry).toEqual({ action: 'confirm' });
		await admin.goto(`${appUrl}/tomakomai`);
		expect(await admin.locator('main').textContent()).not.toContain('確認が必要な取組を表示');
	});

	it('the same publication posted again without JavaScript is refused with the reason and writes nothing', async () => {
		const before = await dump(databases);
		const answer = await postForm(
			appUrl,
			'/operator/taxonomy?/publish',
			{ version: '2' },
			{ cookie: await sessionCookie(appUrl, OPERATOR) }
		);
		expect(answer.status).toBe(400);
		expect(await answer.text()).toContain('第2版はすでに公開されています。');
		expect(differences(before, await dump(databases))).toEqual([]);
	});

	it('目黒区’s 令和2年度, published under version 1, still says version 1 on its benchmarks page', async () => {
		const admin = await open('admin@meguro.example', false);
		await admin.goto(`${appUrl}/meguro/benchmarks?year=2020`);
		await untilText(admin.locator('.published'), '共通分類 第1版');
	});

	it('the official’s coverage view of version 1 shows 目黒区 in version 1’s categories', async () => {
		const official = await open('official@tokyo.example', false);
		await official.goto(`${appUrl}/benchmarks/coverage?pref=13&year=2020&taxonomy=1`);
		const main = official.locator('main');
		await untilText(main, '共通分類 第1版');
		// The rows are version 1's categories, in its words.
		expect(await main.locator('thead').textContent()).toContain('目黒区');
		expect(await main.textContent()).toContain('女性の犯罪被害防止・DV対策');
		expect(await main.textContent()).not.toContain('配偶者等からの暴力（DV）の防止');
	});
});
