// A city editor downloads the plan's template (prefilled, ids included) from /{slug}/import,
// changes a cell and adds a row, uploads it, reviews the preview, confirms, and finds the change
// on the plan page; with JavaScript off (小金井市) and on (苫小牧市). A bad file gets located
// messages and nothing is written anywhere (every database dumped before and after).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readWorkbook, type Cell } from '../../../db/services/src/sheets/read.ts';
import { xlsxBytes } from '../../../db/services/src/sheets/write.ts';
import { untilEnhanced } from './browser.ts';
import { differences, dump, openDatabases } from './dump.ts';
import { postForm } from './http.ts';
import { pagePerTest } from './pages.ts';
import { sessionCookie } from './session.ts';
import { storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const KEYS = { xls: 'x', unreadable: 'u' };
const TITLE = 1 + 4; // 取組名: after 取組ID, 版, 施策ID, 施策, 番号

const modes = [
	{ javaScriptEnabled: false, city: 'koganei' },
	{ javaScriptEnabled: true, city: 'tomakomai' }
] as const;

async function template(page: Page, city: string) {
	await page.goto(`${appUrl}/${city}`);
	await page.getByRole('navigation').getByRole('link', { name: '表計算で取り込む' }).click();
	await page.waitForURL(new RegExp(`/${city}/import$`));
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Excel 形式（取組・年度の記録の 2 シート）' }).click()
	]);
	const sheets = await readWorkbook(new Uint8Array(readFileSync((await file.path())!)), KEYS);
	return sheets.map((s) => ({ name: s.name!, rows: s.rows.map((r) => [...r]) }));
}

async function upload(page: Page, sheets: { name: string; rows: Cell[][] }[], javaScriptEnabled: boolean) {
	const form = page.locator('form[action="?/preview"]');
	if (javaScriptEnabled) await untilEnhanced(form);
	await form.locator('input[name=file]').setInputFiles({
		name: 'plan.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from(await xlsxBytes(sheets))
	});
	await page.getByRole('button', { name: '内容を確認する' }).click();
}

describe('spreadsheet import of a plan (JS off and on)', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	const open = pagePerTest(() => Object.values(databases).forEach((db) => db.close()));

	for (const mode of modes) {
		const js = mode.javaScriptEnabled ? 'JS on' : 'JS off';

		it(`downloads the template, changes a cell and adds a row, previews, confirms, and the plan shows it (${js})`, async () => {
			const page = await open(`admin@${mode.city}.example`, mode.javaScriptEnabled);
			const sheets = await template(page, mode.city);
			const rows = sheets[0]!.rows;
			expect(rows[0]![TITLE]).toBe('取組名');
			const original = String(rows[1]![TITLE]);
			const changed = `${original}（表計算で改めた ${js}）`;
			const added = `表計算で足した取組（${js}）`;
			rows[1]![TITLE] = changed;
			rows.push([null, null, rows[1]![2]!, null, null, added, '表計算から', rows[1]![7]!, null, rows[1]![9]!]);

			await upload(page, sheets, mode.javaScriptEnabled);
			await untilText(page.locator('#ready-title'), '取り込む内容の確認');
			await untilText(page.locator('main'), '追加 1 件、変更 1 件');
			await untilText(page.locator('main'), added);
			const confirm = page.locator('form[action="?/confirm"]');
			if (mode.javaScriptEnabled) await untilEnhanced(confirm);
			await page.getByRole('button', { name: '2 件を取り込む' }).click();
			await untilText(page.locator('[role=status]'), '取り込みました（追加 1 件、変更 1 件）');

			// The plan's overview, searched for what the sheet wrote.
			await page.goto(`${appUrl}/${mode.city}?q=${encodeURIComponent('表計算で')}`);
			await untilText(page.locator('main'), changed);
			await untilText(page.locator('main'), added);

			// The template downloaded again, uploaded unchanged, changes nothing.
			await upload(page, await template(page, mode.city), mode.javaScriptEnabled);
			await untilText(page.locator('main'), '変わるところはありません。');

			// The plan put back as the other test files know it (they share this stack): the title
			// as it was, imported the same way, and the added initiative deleted.
			const again = await template(page, mode.city);
			again[0]!.rows.find((r) => r[TITLE] === changed)![TITLE] = original;
			await upload(page, again, mode.javaScriptEnabled);
			await untilText(page.locator('main'), '変更 1 件');
			const back = page.locator('form[action="?/confirm"]');
			if (mode.javaScriptEnabled) await untilEnhanced(back);
			await back.getByRole('button').click();
			await untilText(page.locator('[role=status]'), '取り込みました');
			const db = databases[mode.city]!;
			const made = await storedRows(db, 'SELECT id, version FROM initiatives WHERE title = ?', [added]);
			const cookie = await sessionCookie(appUrl, `admin@${mode.city}.example`);
			const deleted = await postForm(
				appUrl,
				`/${mode.city}/initiatives/${String(made[0]!.id)}?/delete`,
				{ version: String(made[0]!.version) },
				{ cookie }
			);
			expect(deleted.status).toBe(200);
			const live = await storedRows(
				db,
				'SELECT count(*) AS n FROM initiatives WHERE deleted_at IS NULL AND title IN (?, ?)',
				[changed, added]
			);
			expect(live[0]!.n).toBe(0);
		});

		it(`a bad file gets located messages and nothing is written (${js})`, async () => {
			const page = await open(`admin@${mode.city}.example`, mode.javaScriptEnabled);
			const sheets = await template(page, mode.city);
			const rows = sheets[0]!.rows;
			rows[1]![TITLE] = null;
			rows[2]![7] = '存在しない課';
			rows.push([null, null, 'no-such-node', null, null, '行き先のない取組', null, null, null, null]);
			const before = await dump(databases);
			await upload(page, sheets, mode.javaScriptEnabled);
			await untilText(page.locator('#problems-title'), '取り込めない箇所が');
			const table = page.locator('main table');
			await untilText(table, '担当課「存在しない課」はこの市の担当課にありません');
			await untilText(table, '施策「no-such-node」はこの市の計画にありません');
			await untilText(table, 'F列（取組名）');
			expect(differences(before, await dump(databases))).toEqual([]);
		});
	}
});
