// Corrections in the browser, with JavaScript off and on: a yearly record edited, given a figure,
// its figures corrected and removed, deleted and restored, then brought back to a version with
// both figures; a policy area renamed and restored from the city's history; a KPI value corrected
// and deleted; an initiative brought back to an earlier version from its history. Each step
// checks what is stored.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { openDatabases } from './dump.ts';
import { postForm } from './http.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { idOf, linkFromEnd, storedRow, storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);
const EDITOR = 'admin@koganei.example';
/** 小金井市 has no KPIs: those of 目黒区 are corrected. */
const KPI_EDITOR = 'admin@meguro.example';

/** One row of a city's database (the tests read what the page stored). */
const row = (city: string, sql: string, args: unknown[] = []) => storedRow(databases[city], sql, args);
const lastLink = (page: Page, path: string, prefix: string, fromEnd: number) =>
	linkFromEnd(page, `${appUrl}${path}`, prefix, fromEnd);

describe('corrections of records, figures, KPI values and versions', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		for (const db of Object.values(databases)) db.close();
	});

	for (const [n, javaScriptEnabled] of [true, false].entries()) {
		describe(`JS ${javaScriptEnabled ? 'on' : 'off'}`, () => {
			const stamp = `${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}`;
			let initiative = '';
			let kpi = '';
			let recordId = '';
			let contexts: BrowserContext[] = [];
			let page: Page;
			/** A page as `email` in this mode (its context closed after the test). */
			const pageAs = async (email: string) => {
				const context = await signedInContext(browser, appUrl, email, { javaScriptEnabled });
				contexts.push(context);
				return context.newPage();
			};
			beforeEach(async () => {
				page = await pageAs(EDITOR);
				initiative ||= await lastLink(page, '/koganei', '/koganei/initiatives/', n);
			});
			afterEach(async () => {
				await Promise.all(contexts.map((c) => c.close()));
				contexts = [];
			});
			const status = () => page.locator('[role=status]').first();
			const metricsOf = async () =>
				(await row('koganei', 'SELECT count(*) AS n FROM metrics WHERE record_id = ?', [recordId]))!.n;

			it('adds a record with a figure', async () => {
				await page.goto(initiative);
				await page.locator('#fiscalYear').fill('令和6');
				await page.locator('#text').fill(`巡回 ${stamp}`);
				await page.locator('#metricLabel').fill('車両数');
				await page.locator('#metricValue').fill('3');
				await page.locator('#metricUnit').fill('台');
				await page.getByRole('button', { name: '年度の取組を追加' }).click();
				await untilText(status(), '追加しました');
				const stored = await row('koganei', 'SELECT id, fiscal_year FROM yearly_records WHERE text = ?', [
					`巡回 ${stamp}`
				]);
				expect(stored?.fiscal_year).toBe(2024);
				recordId = String(stored!.id);
			});

			it('edits the record: its text and phase', async () => {
				await page.goto(initiative);
				await page.locator(`#record-${recordId}-text`).fill(`巡回を見直し ${stamp}`);
				await page.locator(`#record-${recordId}-phase`).selectOption('plan');
				await page.locator(`form[action="?/updateRecord"]:has(#record-${recordId}-text) button`).click();
				await untilText(status(), '保存しました');
				const stored = await row('koganei', 'SELECT text, phase FROM yearly_records WHERE id = ?', [recordId]);
				expect(stored).toMatchObject({ text: `巡回を見直し ${stamp}`, phase: 'plan' });
			});

			it('adds a second figure to the record', async () => {
				await page.goto(initiative);
				await page.locator(`#metric-new-${recordId}-label`).fill('パトロール回数');
				await page.locator(`#metric-new-${recordId}-value`).fill('１２０');
				await page.locator(`#metric-new-${recordId}-unit`).fill('回');
				await page.locator(`form:has(#metric-new-${recordId}-label) button[type=submit]`).click();
				await untilText(status(), '数値を追加しました');
				expect(await metricsOf()).toBe(2);
				const added = await row('koganei', 'SELECT value, unit FROM metrics WHERE record_id = ? AND label = ?', [
					recordId,
					'パトロール回数'
				]);
				expect(added).toMatchObject({ value: 120, unit: '回' });
			});

			it('corrects a figure', async () => {
				await page.goto(initiative);
				const id = (await row('koganei', 'SELECT id FROM metrics WHERE record_id = ? AND label = ?', [
					recordId,
					'車両数'
				]))!.id;
				await page.locator(`#metric-${id}-value`).fill('4');
				await page.locator(`form:has(#metric-${id}-value) button[type=submit]`).click();
				await untilText(status(), '保存しました');
				expect((await row('koganei', 'SELECT value FROM metrics WHERE id = ?', [id]))!.value).toBe(4);
			});

			it('removes a figure', async () => {
				await page.goto(initiative);
				await page.getByRole('button', { name: '「パトロール回数」を削除' }).click();
				await untilText(status(), '数値を削除しました');
				expect(await metricsOf()).toBe(1);
			});

			it('deletes the record: it is shown as deleted, with a restore', async () => {
				await page.goto(initiative);
				await page.locator(`form[action="?/deleteRecord"]:has(input[value="${recordId}"]) button`).click();
				await untilText(status(), '年度の取組を削除しました');
				const stored = await row('koganei', 'SELECT deleted_at FROM yearly_records WHERE id = ?', [recordId]);
				expect(stored?.deleted_at).not.toBeNull();
				await untilText(page.locator('.deleted'), `巡回を見直し ${stamp}`);
			});

			it('restores the deleted record', async () => {
				await page.goto(initiative);
				await page.locator(`form[action="?/restoreRecord"] button[value="${recordId}"]`).click();
				await untilText(status(), '元に戻しました');
				const stored = await row('koganei', 'SELECT deleted_at FROM yearly_records WHERE id = ?', [recordId]);
				expect(stored?.deleted_at).toBeNull();
				expect(await metricsOf()).toBe(1);
			});

			it('brings the record back to before a figure was removed, from its history', async () => {
				await page.goto(initiative);
				// The newest entry naming the removed figure is its removal: its earlier version has both.
				const removal = page.locator('.history li').filter({ hasText: 'パトロール回数' }).first();
				await removal.getByRole('button', { name: 'この版に戻す' }).click();
				await untilText(status(), '以前の版に戻しました');
				const figures = await storedRows(
					databases.koganei,
					'SELECT label, value FROM metrics WHERE record_id = ? ORDER BY position',
					[recordId]
				);
				expect(figures.map((r) => [r.label, r.value])).toEqual([
					['車両数', 4],
					['パトロール回数', 120]
				]);
				expect((await row('koganei', 'SELECT text FROM yearly_records WHERE id = ?', [recordId]))!.text).toBe(
					`巡回を見直し ${stamp}`
				);
			});

			it("renames a policy area, then brings its name back from the city's history", async () => {
				const node = await lastLink(page, '/koganei', '/koganei/nodes/', n);
				const id = idOf(node);
				const before = (await row('koganei', 'SELECT title FROM plan_nodes WHERE id = ?', [id]))!.title;
				await page.goto(node);
				await page.locator('#title').fill(`仮の施策名 ${stamp}`);
				await page.locator('form[action="?/update"] button[type=submit]').click();
				await untilText(status(), '保存しました');
				await page.goto(`${appUrl}/koganei/history`);
				const rename = page
					.locator('.history li')
					.filter({ hasText: `仮の施策名 ${stamp}` })
					.first();
				await rename.getByRole('button', { name: 'この版に戻す' }).click();
				await untilText(status(), '以前の版に戻しました');
				expect((await row('koganei', 'SELECT title FROM plan_nodes WHERE id = ?', [id]))!.title).toBe(before);
				const entry = await row(
					'koganei',
					"SELECT action FROM audit_log WHERE entity = 'node' AND entity_id = ? ORDER BY at DESC LIMIT 1",
					[id]
				);
				expect(entry?.action).toBe('restore');
			});

			it('changes the title, then restores the earlier version from the history', async () => {
				await page.goto(initiative);
				const id = idOf(initiative);
				const before = (await row('koganei', 'SELECT title FROM initiatives WHERE id = ?', [id]))!.title;
				await page.locator('#title').fill(`仮の名称 ${stamp}`);
				await page.getByRole('button', { name: '保存する' }).first().click();
				await untilText(status(), '保存しました');
				await untilText(page.locator('.history li').first(), `仮の名称 ${stamp}`);
				await page.locator('.history li').first().getByRole('button', { name: 'この版に戻す' }).click();
				await untilText(status(), '以前の版に戻しました');
				expect((await row('koganei', 'SELECT title FROM initiatives WHERE id = ?', [id]))!.title).toBe(before);
			});

			it('a restore with a version that changed since is refused as a conflict, not a 500', async () => {
				const id = idOf(initiative);
				const entry = await row(
					'koganei',
					"SELECT id FROM audit_log WHERE entity = 'initiative' AND entity_id = ? AND action = 'update' ORDER BY at DESC LIMIT 1",
					[id]
				);
				const response = await postForm(
					appUrl,
					`${new URL(initiative).pathname}?/restoreVersion`,
					{ entryId: String(entry!.id), version: '1' },
					{ cookie: await sessionCookie(appUrl, EDITOR) }
				);
				expect(response.status).toBe(409);
				expect(await response.text()).toContain('他の人が先に変更しました');
			});

			it('corrects a KPI value', async () => {
				page = await pageAs(KPI_EDITOR);
				kpi ||= await lastLink(page, '/meguro/kpis', '/meguro/kpis/', n);
				const kpiId = idOf(kpi);
				const year = String(2040 + n);
				await page.goto(kpi);
				await page.locator('#periodYear').fill(year);
				await page.locator('#value').fill('50');
				await page.locator('form[action="?/setValue"] button').click();
				await untilText(status(), '値を保存しました');
				const value = await row(
					'meguro',
					'SELECT id FROM indicator_values WHERE indicator_id = ? AND period_year = ?',
					[kpiId, Number(year)]
				);
				await page.goto(kpi);
				// A whole number: these KPIs count people or groups (a count in 人 is never 55.5).
				await page.locator(`#value-${value!.id}-value`).fill('55');
				await page.locator(`#value-${value!.id}-status`).selectOption('provisional');
				await page.locator(`form[action="?/updateValue"]:has(#value-${value!.id}-value) button`).click();
				await untilText(status(), '値を保存しました');
				const stored = await row('meguro', 'SELECT value, status FROM indicator_values WHERE id = ?', [value!.id]);
				expect(stored).toMatchObject({ value: 55, status: 'provisional' });
				await untilText(page.locator('.history'), '55');
			});

			it('deletes the KPI value; the value of another KPI is not found under this one', async () => {
				page = await pageAs(KPI_EDITOR);
				const kpiId = idOf(kpi);
				const value = (await row(
					'meguro',
					'SELECT id, version FROM indicator_values WHERE indicator_id = ? AND period_year = ?',
					[kpiId, 2040 + n]
				))!;
				const other = await lastLink(page, '/meguro/kpis', '/meguro/kpis/', 2 + n);
				const foreign = await postForm(
					appUrl,
					`${new URL(other).pathname}?/deleteValue`,
					{ id: String(value.id), version: String(value.version) },
					{ cookie: await sessionCookie(appUrl, KPI_EDITOR) }
				);
				expect(foreign.status).toBe(404);
				await page.goto(kpi);
				await page.locator(`form[action="?/deleteValue"]:has(input[value="${value.id}"]) button`).click();
				await untilText(status(), '値を削除しました');
				expect(await row('meguro', 'SELECT id FROM indicator_values WHERE id = ?', [value.id])).toBeUndefined();
			});
		});
	}
});
