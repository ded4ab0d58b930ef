// The operator imports the yearly population table, with JavaScript off and on: a table with three
// bad rows is previewed with those rows listed and nothing written; the corrected table is
// previewed, confirmed and imported; the official's benchmarks then name the population's date.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { populationTable, tableCsv, tableXlsx } from '../../../db/services/test/population-table.ts';
import { pagePerTest } from './pages.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const OPERATOR = 'operator@mamori.example';

// Each mode imports its own date, removed afterwards so that other files see the seeded populations.
const modes = [
	{ javaScriptEnabled: false, format: 'csv', title: '令和3年1月1日現在', date: '2021-01-01', label: '令和3年1月1日' },
	{ javaScriptEnabled: true, format: 'xlsx', title: '平成2年1月1日現在', date: '1990-01-01', label: '平成2年1月1日' }
] as const;

const populationRows = async () =>
	(await core.execute('SELECT count(*) AS n FROM municipality_populations')).rows[0]!.n;
const populationsOn = async (date: string) =>
	(
		await core.execute({
			sql: 'SELECT count(*) AS n FROM municipality_populations WHERE reference_date = ?',
			args: [date]
		})
	).rows[0]!.n;
const removeImported = () =>
	core.execute({
		sql: `DELETE FROM municipality_populations WHERE import_id IS NOT NULL AND reference_date IN (${modes.map(() => '?').join(', ')})`,
		args: modes.map((m) => m.date)
	});

async function upload(page: Page, name: string, buffer: Uint8Array | string) {
	if (typeof buffer === 'string') await page.locator('input[name=file]').setInputFiles(buffer);
	else
		await page
			.locator('input[name=file]')
			.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(buffer) });
	await page.getByRole('button', { name: '内容を確認する' }).click();
}

async function tableFile(format: 'csv' | 'xlsx', options: Parameters<typeof populationTable>[0]) {
	const { rows, bad } = populationTable(options);
	// The CSV in Shift_JIS, as Japanese Excel saves it: read in workerd too.
	return { bytes: format === 'csv' ? tableCsv(rows, 'shift_jis') : await tableXlsx(rows), bad };
}

describe('population import on the operator console (JS off and on)', () => {
	const open = pagePerTest(async () => {
		await removeImported();
		core.close();
	});

	for (const mode of modes) {
		const name = `populations.${mode.format}`;
		const js = mode.javaScriptEnabled ? 'JS on' : 'JS off';

		it(`a table with three bad rows lists them and writes nothing (${js}, ${mode.format})`, async () => {
			const page = await open(OPERATOR, mode.javaScriptEnabled);
			await page.goto(`${appUrl}/operator`);
			await page.getByRole('link', { name: '市区町村の人口を取り込む' }).click();
			await page.waitForURL(/\/operator\/populations$/);
			const before = await populationRows();
			const { bytes, bad } = await tableFile(mode.format, { bad: true, title: mode.title });
			await upload(page, name, bytes);
			await untilText(page.locator('#problems-title'), '取り込めない行が 3 行あります');
			const rows = await page
				.locator('section[aria-labelledby=problems-title] tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
			expect(rows).toEqual([
				[
					String(bad[0]!.row),
					'A列（団体コード）',
					`団体コード「${bad[0]!.code}」の検査数字（6桁目）が正しくありません。`
				],
				[String(bad[1]!.row), 'A列（団体コード）', `団体コード「${bad[1]!.code}」の市区町村は登録されていません。`],
				[
					String(bad[2]!.row),
					'A列（団体コード）',
					`団体コード「${bad[2]!.code}」は ${bad[2]!.duplicateOf} 行目と重複しています。`
				]
			]);
			await expect(page.getByRole('button', { name: /市区町村の人口を取り込む/ }).count()).resolves.toBe(0);
			expect(await populationRows()).toBe(before);
		});

		it(`the corrected table is previewed, confirmed and imported (${js}, ${mode.format})`, async () => {
			const page = await open(OPERATOR, mode.javaScriptEnabled);
			await page.goto(`${appUrl}/operator/populations`);
			const { bytes } = await tableFile(mode.format, { title: mode.title });
			await upload(page, name, bytes);
			await untilText(page.locator('#ready-title'), '取り込む内容の確認');
			await untilText(page.locator('section[aria-labelledby=ready-title] dl'), `${mode.label}現在`);
			expect(await populationsOn(mode.date)).toBe(0); // a preview writes no population
			await page.getByRole('button', { name: '1,741 市区町村の人口を取り込む' }).click();
			await untilText(page.locator('[role=status]'), `${mode.label}現在の人口を 1,741 市区町村分取り込みました。`);
			expect(await populationsOn(mode.date)).toBe(1741);
			await untilText(page.locator('table').last(), `${mode.label}現在`);
		});
	}

	it('the official’s benchmark names the date of the population it was normalised by', async () => {
		// 令和2年度 (April 2020 – March 2021): its middle is nearest 令和3年1月1日, imported above.
		expect(await populationsOn('2021-01-01')).toBe(1741);
		const page = await open('official@tokyo.example', false);
		await page.goto(`${appUrl}/benchmarks?pref=13&year=2020&indicator=alert_mail_subscribers`);
		const meguro = page.locator('table tbody tr').filter({ hasText: '目黒区' });
		await untilText(meguro, '令和3年1月1日現在');
		const csv = await (
			await page.request.get(`${appUrl}/benchmarks/csv/indicator?pref=13&year=2020&indicator=alert_mail_subscribers`)
		).text();
		expect(csv.split('\n').find((line) => line.includes('目黒区'))).toContain('2021-01-01');
	});

	it('an oversized file or one that is not a table is refused beside the field, in Japanese', async () => {
		const page = await open(OPERATOR, false);
		await page.goto(`${appUrl}/operator/populations`);
		// From a file on disk: the browser reads it itself (a buffer this large crawls through the driver).
		const dir = mkdtempSync(join(tmpdir(), 'mamori-upload-'));
		const huge = join(dir, 'huge.csv');
		writeFileSync(huge, new Uint8Array(5.1 * 1024 * 1024).fill(0x31));
		try {
			await upload(page, 'huge.csv', huge);
			await untilText(page.locator('#file-error'), 'ファイルが大きすぎます（上限 5 MB）');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		await upload(page, 'photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
		await untilText(page.locator('#file-error'), 'このファイルは表として読み込めません。');
	});
});
