// The progress roll-up page in the browser: a year is chosen with a GET form without JavaScript,
// the counts of a reported progress appear in the whole plan's row and its areas', and the page
// fits a 375 px screen (its wide tables scroll inside their own region).
import { describe, expect, it } from 'vitest';
import { openDatabases } from './dump.ts';
import { pagePerTest } from './pages.ts';
import { storedRow } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);

describe('the progress roll-up page (running stack)', () => {
	const open = pagePerTest(() => {
		for (const db of Object.values(databases)) db.close();
	});

	it('小金井市 2018 without JavaScript, at 375 px: a completed initiative is counted, 実施率 100%', async () => {
		// As an approved submission would: the 2018 actual of CoCoパトロール隊 is 完了.
		await storedRow(
			databases.koganei,
			`UPDATE yearly_records SET progress = 'completed', version = version + 1
			 WHERE phase = 'actual' AND fiscal_year = 2018 AND initiative_id =
			   (SELECT id FROM initiatives WHERE title = 'CoCoパトロール隊による地域パトロール')`
		);
		const page = await open('viewer@koganei.example', false);
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${appUrl}/koganei`);
		await page.getByRole('link', { name: '進捗', exact: true }).click();
		await untilText(page.locator('h1'), '進捗の集計');
		await page.locator('#rollup-year').selectOption('2018');
		await page.getByRole('button', { name: '表示する' }).click();
		await page.waitForURL(/\/koganei\/progress\?year=2018$/);
		await untilText(page.locator('[role=status]'), '平成30年度');
		await untilText(page.locator('#rollup-rules + ul'), '実施率 ＝（実施 ＋ 完了）÷（取組数 − 中止 − 未報告）');

		const whole = page.locator('table.rollup').first().locator('tbody tr').first();
		// Columns: 未実施 一部実施 実施 完了 中止 未報告 取組数 実施率 成果指標の進捗.
		const cells = await whole.locator('td').allTextContents();
		expect(cells.slice(3, 8).map((c) => c.trim())).toEqual(['1', '0', expect.any(String), expect.any(String), '100%']);
		const unreported = Number(cells[5]);
		expect(unreported + 1).toBe(Number(cells[6])); // every other initiative is unreported
		// 小金井市's plan has no KPI, unless another test file of this stack added one (with no value).
		expect(cells[8]).toMatch(/成果指標なし|値なし/);
		// The area of the initiative counts it too: 1 (1) 地域防犯力の向上.
		await untilText(page.locator('table.rollup tbody tr', { hasText: '地域防犯力の向上' }), '100%');

		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});

	it('目黒区: KPI progress is a bar with its figure', async () => {
		// The seed gives targets, not values: the admin enters one (JS off), 12,000 registrations in
		// 2030 for 「生活安全緊急メール」の登録者数 (9,000 → 15,000): half way.
		const admin = await open('admin@meguro.example', false);
		const kpi = (await storedRow(
			databases.meguro,
			"SELECT id FROM indicators WHERE name = '「生活安全緊急メール」の登録者数'"
		))!;
		await admin.goto(`${appUrl}/meguro/kpis/${String(kpi.id)}`);
		const entry = admin.locator('form[action="?/setValue"]');
		await entry.locator('[name=periodYear]').fill('2030');
		await entry.locator('[name=value]').fill('12000');
		await entry.locator('button[type=submit]').click();
		await untilText(admin.locator('[role=status]'), '保存');

		await admin.goto(`${appUrl}/meguro/progress?year=2031`);
		const area = admin.locator('table.rollup tbody tr', { hasText: '日常生活における犯罪被害の防止' });
		await untilText(area, '指標の平均）');
		expect(await area.locator('td.kpi').textContent()).toMatch(/\d+%（2指標中[12]指標の平均）/);
		expect(await area.locator('.bar > span').getAttribute('style')).toMatch(/width: \d+%/);
	});
});
