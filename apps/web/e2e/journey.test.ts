// A new city from nothing, with JavaScript off and on: the operator subscribes it; its first admin
// joins through the invitation mail, creates a two-level plan (2 policy areas, 3 initiatives),
// 2 yearly records with 3 figures each and a KPI with baseline, target and a value; then edits a
// record, removes a figure, corrects the KPI value and restores an earlier version of an
// initiative from its history. Each step checks what is stored.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant } from '@mamori/db';
import { launchBrowser } from './browser.ts';
import { mailedLink, signInCookie } from './http.ts';
import { sessionCookie } from './session.ts';
import { idOf, storedRow, storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const OPERATOR = 'operator@mamori.example';
const PASSWORD = '市民の安全を守る計画づくり';

const cities = [
	{ javaScriptEnabled: true, code: '132047', name: '三鷹市', kana: 'みたか' },
	{ javaScriptEnabled: false, code: '132055', name: '青梅市', kana: 'おうめ' }
];

describe('a new city builds its plan from nothing and corrects it', () => {
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterEach(async () => {
		await Promise.all(contexts.splice(0).map((c) => c.close()));
	});
	afterAll(async () => {
		await browser?.close();
		core.close();
	});

	for (const city of cities) {
		describe(`${city.name} (JS ${city.javaScriptEnabled ? 'on' : 'off'})`, () => {
			const slug = `j${city.javaScriptEnabled ? 'on' : 'off'}${Date.now().toString(36)}`;
			const admin = `admin@${slug}.example`;
			const db = () => openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` }).$client;
			let tenant: ReturnType<typeof db>;
			const stored = (sql: string, args: unknown[] = []) => storedRow((tenant ??= db()), sql, args);
			const count = async (sql: string, args: unknown[] = []) => Number((await stored(sql, args))!.n);
			let adminCookie: Promise<string> | undefined;
			/** A page of `path` as the operator, the city's admin (their own password) or no one. */
			const page = async (who: 'operator' | 'admin' | null, path: string): Promise<Page> => {
				const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: city.javaScriptEnabled });
				contexts.push(context);
				const cookie =
					who === 'operator'
						? await sessionCookie(appUrl, OPERATOR)
						: who === 'admin'
							? await (adminCookie ??= signInCookie(appUrl, admin, PASSWORD))
							: null;
				if (cookie) {
					const [name, value] = cookie.split('=') as [string, string];
					await context.addCookies([{ name, value, url: appUrl }]);
				}
				const p = await context.newPage();
				p.on('dialog', (d) => void d.accept());
				await p.goto(`${appUrl}${path}`);
				return p;
			};
			const status = (p: Page) => p.locator('[role=status]').first();
			const initiativeUrl = async (title: string) =>
				`${appUrl}/${slug}/initiatives/${(await stored('SELECT id FROM initiatives WHERE title = ?', [title]))!.id}`;
			afterAll(() => tenant?.close());

			it('the operator subscribes the city', async () => {
				// Found by its kana, then chosen from the list (finding.test.ts covers the search itself).
				const p = await page('operator', `/operator?q=${encodeURIComponent(city.kana)}`);
				await p.getByRole('button', { name: `${city.name}を選ぶ` }).click();
				await untilText(p.locator('.chosen'), `団体コード ${city.code}`);
				await p.locator('#slug').fill(slug);
				await p.locator('#adminEmail').fill(admin);
				await p.getByRole('button', { name: '追加して招待を送る' }).click();
				await untilText(status(p), `${city.name}（/${slug}）を追加し`);
				const row = await storedRow(core, 'SELECT status FROM tenants WHERE slug = ?', [slug]);
				expect(row?.status).toBe('active');
			});

			it('its admin joins through the invitation mail', async () => {
				const link = await mailedLink(appUrl, await signInCookie(appUrl, OPERATOR), admin, '/invite/');
				const p = await page(null, new URL(link).pathname);
				await p.locator('#displayName').fill(`${city.name} 防犯担当`);
				await p.locator('#password').fill(PASSWORD);
				await p.locator('#confirm').fill(PASSWORD);
				await p.getByRole('button', { name: '参加する' }).click();
				await p.waitForURL(`${appUrl}/${slug}`);
				const row = await storedRow(core, 'SELECT display_name FROM users WHERE email = ?', [admin]);
				expect(row?.display_name).toBe(`${city.name} 防犯担当`);
			});

			it('creates the plan', async () => {
				const p = await page('admin', `/${slug}/plan`);
				const form = p.locator('form[action="?/create"]');
				await form.locator('[name=title]').fill(`${city.name}防犯計画`);
				await form.locator('[name=periodStart]').fill('令和6');
				await form.locator('[name=periodEnd]').fill('令和10');
				await form.locator('[name=levelLabels]').fill('施策');
				await form.locator('[name=initiativeLabel]').fill('主な取組');
				await form.locator('button[type=submit]').click();
				await untilText(status(p), '計画を作成しました');
				const plan = await stored('SELECT title, period_start, period_end FROM plans');
				expect(plan).toMatchObject({ title: `${city.name}防犯計画`, period_start: 2024, period_end: 2028 });
				// Two policy areas; each opens its own page once added.
				for (const [code, title] of [
					['1', '地域の見守り'],
					['2', '犯罪の起きにくい環境']
				]) {
					await p.goto(`${appUrl}/${slug}/plan`);
					const area = p.locator('form[action="?/addArea"]');
					await area.locator('[name=code]').fill(code!);
					await area.locator('[name=title]').fill(title!);
					await area.locator('button[type=submit]').click();
					await p.waitForURL(/\/nodes\//);
					await untilText(p.locator('h1'), title!);
				}
				expect(await count('SELECT count(*) AS n FROM plan_nodes WHERE deleted_at IS NULL')).toBe(2);
			});

			it('adds three initiatives under the policy areas', async () => {
				for (const [area, title] of [
					['地域の見守り', '青色防犯パトロール'],
					['地域の見守り', '見守りメールの配信'],
					['犯罪の起きにくい環境', '防犯カメラの設置']
				]) {
					const node = await stored('SELECT id FROM plan_nodes WHERE title = ?', [area]);
					const p = await page('admin', `/${slug}/nodes/${node!.id}`);
					const form = p.locator('form[action="?/addInitiative"]');
					await form.locator('#new-title').fill(title!);
					await form.getByRole('checkbox', { name: '防犯パトロール', exact: true }).check();
					await form.locator('button[type=submit]').click();
					await p.waitForURL(/\/initiatives\//);
				}
				expect(await count('SELECT count(*) AS n FROM initiatives WHERE deleted_at IS NULL')).toBe(3);
			});

			it('adds two yearly records with three figures each', async () => {
				const p = await page('admin', new URL(await initiativeUrl('青色防犯パトロール')).pathname);
				// Every figure saved has its own form on the page: the n-th appearing is the n-th saved.
				let figures = 0;
				const saved = () => p.locator('form[action="?/updateMetric"]').nth(figures++).waitFor();
				for (const [year, text] of [
					['令和6', '青色防犯パトロールを実施'],
					['令和7', '青色防犯パトロールを拡充']
				]) {
					await p.locator('#fiscalYear').fill(year!);
					await p.locator('#text').fill(text!);
					await p.locator('#metricLabel').fill('車両数');
					await p.locator('#metricValue').fill('2');
					await p.locator('#metricUnit').fill('台');
					await p.getByRole('button', { name: '年度の取組を追加' }).click();
					await untilText(status(p), '年度の取組を追加しました');
					await saved();
					const record = (await stored('SELECT id FROM yearly_records WHERE text = ?', [text]))!.id;
					for (const [label, value, unit] of [
						['パトロール回数', '48', '回'],
						['距離', '1,200', 'km']
					]) {
						const form = p.locator(`form:has(#metric-new-${record}-label)`);
						await form.locator('[name=label]').fill(label!);
						await form.locator('[name=value]').fill(value!);
						await form.locator('[name=unit]').fill(unit!);
						await form.locator('button[type=submit]').click();
						await saved();
					}
				}
				const perRecord = await storedRows(
					tenant,
					'SELECT r.text, count(m.id) AS n FROM yearly_records r JOIN metrics m ON m.record_id = r.id GROUP BY r.id ORDER BY r.fiscal_year'
				);
				expect(perRecord.map((r) => [r.text, Number(r.n)])).toEqual([
					['青色防犯パトロールを実施', 3],
					['青色防犯パトロールを拡充', 3]
				]);
			});

			it('adds a KPI with baseline and target, and enters a value', async () => {
				const p = await page('admin', `/${slug}/kpis`);
				await p.locator('#kpi-node').selectOption({ label: '1 地域の見守り' });
				const kpi = { name: '見守りメール登録者数', unit: '人', baselineValue: '8000', baselineYear: '令和5' };
				for (const [field, value] of Object.entries({ ...kpi, targetValue: '12000', targetYear: '令和10' }))
					await p.locator(`#new-${field}`).fill(value);
				await p.getByRole('button', { name: '成果指標を追加' }).click();
				await p.waitForURL(/\/kpis\/[0-9a-f-]{36}$/);
				await p.locator('#periodYear').fill('令和6');
				await p.locator('#value').fill('9100');
				await p.locator('form[action="?/setValue"] button').click();
				await untilText(status(p), '値を保存しました');
				const saved = await stored('SELECT id, baseline_value, target_value, target_year FROM indicators');
				expect(saved).toMatchObject({ baseline_value: 8000, target_value: 12000, target_year: 2028 });
				const value = await stored('SELECT value, period_year FROM indicator_values WHERE indicator_id = ?', [
					saved!.id
				]);
				expect(value).toMatchObject({ value: 9100, period_year: 2024 });
			});

			it('edits a record', async () => {
				const p = await page('admin', new URL(await initiativeUrl('青色防犯パトロール')).pathname);
				const record = (await stored('SELECT id FROM yearly_records WHERE text = ?', ['青色防犯パトロールを実施']))!.id;
				await p.locator(`#record-${record}-text`).fill('青色防犯パトロールを週2回実施');
				await p.locator(`form[action="?/updateRecord"]:has(#record-${record}-text) button`).click();
				await untilText(status(p), '保存しました');
				expect((await stored('SELECT text FROM yearly_records WHERE id = ?', [record]))!.text).toBe(
					'青色防犯パトロールを週2回実施'
				);
			});

			it('removes a figure', async () => {
				const p = await page('admin', new URL(await initiativeUrl('青色防犯パトロール')).pathname);
				const record = (await stored('SELECT id FROM yearly_records WHERE fiscal_year = 2025'))!.id;
				const metric = (await stored('SELECT id FROM metrics WHERE record_id = ? AND label = ?', [record, '距離']))!.id;
				await p.locator(`form[action="?/deleteMetric"]:has(input[value="${metric}"]) button`).click();
				await untilText(status(p), '数値を削除しました');
				expect(await count('SELECT count(*) AS n FROM metrics WHERE record_id = ?', [record])).toBe(2);
			});

			it('corrects the KPI value', async () => {
				const kpi = (await stored('SELECT id FROM indicators'))!.id;
				const value = (await stored('SELECT id FROM indicator_values WHERE indicator_id = ?', [kpi]))!.id;
				const p = await page('admin', `/${slug}/kpis/${kpi}`);
				await p.locator(`#value-${value}-value`).fill('9,150');
				await p.locator(`form[action="?/updateValue"]:has(#value-${value}-value) button`).click();
				await untilText(status(p), '値を保存しました');
				expect((await stored('SELECT value FROM indicator_values WHERE id = ?', [value]))!.value).toBe(9150);
			});

			it('renames an initiative, then restores the earlier version from its history', async () => {
				const url = await initiativeUrl('見守りメールの配信');
				const p = await page('admin', new URL(url).pathname);
				await p.locator('#title').fill('見守りメール（仮）');
				await p.getByRole('button', { name: '保存する' }).first().click();
				await untilText(status(p), '保存しました');
				expect((await stored('SELECT title FROM initiatives WHERE id = ?', [idOf(url)]))!.title).toBe(
					'見守りメール（仮）'
				);
				// From the city's history: its newest entry is the rename.
				await p.goto(`${appUrl}/${slug}/history`);
				await untilText(p.locator('.history li').first(), '見守りメール（仮）');
				await p.locator('.history li').first().getByRole('button', { name: 'この版に戻す' }).click();
				await untilText(status(p), '以前の版に戻しました');
				expect((await stored('SELECT title FROM initiatives WHERE id = ?', [idOf(url)]))!.title).toBe(
					'見守りメールの配信'
				);
			});
		});
	}
});
