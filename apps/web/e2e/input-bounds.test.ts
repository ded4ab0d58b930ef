// Figures plausible in their unit, in the browser: a negative count is refused beside its field in
// Japanese with JavaScript off and on, and nothing is written; a rate KPI (0.5 → 1.0) with a value
// in its baseline year draws its chart and the page hydrates (duplicate keys in the chart broke it).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { untilHydrated } from './browser.ts';
import { openDatabases } from './dump.ts';
import { postForm } from './http.ts';
import { pagePerTest } from './pages.ts';
import { sessionCookie } from './session.ts';
import { storedRow } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);
const row = (sql: string, args: unknown[] = []) => storedRow(databases.koganei, sql, args);
const EDITOR = 'admin@koganei.example';

describe('figures plausible in their unit', () => {
	const open = pagePerTest(() => {
		for (const db of Object.values(databases)) db.close();
	});
	const asUser = async (javaScriptEnabled: boolean, step: (page: Page) => Promise<void>) =>
		step(await open(EDITOR, javaScriptEnabled));

	for (const javaScriptEnabled of [false, true])
		it(`a negative count of 件 is refused beside the field and nothing is written (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
			const record = (await row(
				`SELECT r.id, r.initiative_id FROM yearly_records r JOIN initiatives i ON i.id = r.initiative_id
				 WHERE i.title = 'CoCoパトロール隊による地域パトロール' AND r.fiscal_year = 2019`
			))!;
			const count = async () => (await row('SELECT count(*) AS n FROM metrics'))!.n;
			const before = await count();
			await asUser(javaScriptEnabled, async (page) => {
				await page.goto(`${appUrl}/koganei/initiatives/${String(record.initiative_id)}`);
				const field = (key: string) => page.locator(`#metric-new-${String(record.id)}-${key}`);
				await field('label').fill('通報件数');
				await field('value').fill('-3');
				await field('unit').fill('件');
				await page.locator(`form:has(#metric-new-${String(record.id)}-label) button[type=submit]`).click();
				await untilText(field('value-error'), '「件」で数える値は0以上の整数にしてください。');
				expect(await field('value').inputValue()).toBe('-3'); // what was typed comes back
				expect(await field('label').inputValue()).toBe('通報件数');
			});
			expect(await count()).toBe(before);
		});

	it('a rate KPI from 0.5 to 1.0 with a value in its baseline year draws its chart and the page hydrates', async () => {
		const cookie = await sessionCookie(appUrl, EDITOR);
		const node = (await row('SELECT id FROM plan_nodes WHERE deleted_at IS NULL ORDER BY position LIMIT 1'))!;
		const created = await postForm(
			appUrl,
			'/koganei/kpis?/create',
			{
				nodeId: String(node.id),
				name: '防犯講習の理解度',
				unit: '割合',
				direction: 'higher',
				baselineValue: '0.5',
				baselineYear: '2020',
				targetValue: '1.0',
				targetYear: '2025'
			},
			{ cookie }
		);
		const location = created.headers.get('location') ?? '';
		expect(location).toMatch(/^\/koganei\/kpis\//);
		for (const [year, value] of [
			['2020', '0.5'],
			['2021', '0.75']
		])
			expect(
				(
					await postForm(
						appUrl,
						`${location}?/setValue`,
						{ periodKind: 'fiscal_year', periodYear: year!, value: value!, status: 'final' },
						{ cookie }
					)
				).status
			).toBe(200);
		await asUser(true, async (page) => {
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(`${appUrl}${location}`);
			await untilHydrated(page);
			const chart = page.locator('svg.chart');
			await expect(chart.getAttribute('aria-label')).resolves.toContain('防犯講習の理解度');
			// Round steps between 0 and above 1, never NaN.
			const labels = await chart.locator('text').allTextContents();
			expect(labels).toEqual(expect.arrayContaining(['0', '0.25', '0.5', '0.75', '1']));
			expect(await chart.innerHTML()).not.toContain('NaN');
			expect(await chart.locator('circle.point').count()).toBe(2); // 2020's value stands for the baseline
			expect(errors).toEqual([]);
		});
	});
});
