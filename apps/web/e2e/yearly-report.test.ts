// The yearly report (/{slug}/report): the printed page of 小金井市 for 令和元年度 with JavaScript
// off, rendered by Chromium to an A4 landscape PDF whose text is read back with poppler's
// pdftotext -raw, in the order Chromium drew each cell (every initiative, the table's header on every page, the page numbers); 苫小牧市's
// shape with JavaScript on; the XLSX and CSV downloads over HTTP with the session cookie.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/node';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { openTenant } from '@mamori/db';
import { pagePerTest } from './pages.ts';
import { storedRows } from './stored.ts';
import { sessionCookie } from './session.ts';
import { untilText } from './wait.ts';
import { appUrl, sqldHttpUrl } from './stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'mamori-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SeedNode {
	children?: SeedNode[];
	initiatives?: { title: string }[];
}
function seedTitles(slug: string): string[] {
	const seed = parse(readFileSync(new URL(`../../../seeds/cities/${slug}.yaml`, import.meta.url), 'utf8')) as {
		nodes: SeedNode[];
	};
	const walk = (nodes: SeedNode[]): string[] =>
		nodes.flatMap((n) => [...(n.initiatives ?? []).map((i) => i.title), ...walk(n.children ?? [])]);
	return walk(seed.nodes);
}
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The city's live initiatives' titles, as its database holds them now. */
async function liveTitles(slug: string): Promise<string[]> {
	const db = openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` });
	try {
		const rows = await storedRows(db.$client, 'SELECT title FROM initiatives WHERE deleted_at IS NULL');
		return rows.map((r) => String(r.title));
	} finally {
		db.$client.close();
	}
}

describe('yearly report', () => {
	const open = pagePerTest();

	it('小金井市 令和元年度 without JavaScript: the table, and an A4 landscape PDF with headers and page numbers on every page', async () => {
		const page = await open('viewer@koganei.example', false);
		await page.goto(`${appUrl}/koganei/report?year=2019`);
		await untilText(page.locator('h1'), '令和元年度（2019） 年次報告書');
		const main = page.locator('main');
		await expect(main.textContent()).resolves.toContain('小金井市防犯指針に基づく令和元年度の取組み等について');
		// Every live initiative of the plan (other test files of this stack rename and add some).
		const titles = await liveTitles('koganei');
		const shown = await page.locator('.report-table tbody th[scope=row]').allTextContents();
		expect(shown.map((t) => t.trim()).toSorted()).toEqual(titles.toSorted());
		// In the plan's order: the seed's initiatives that still have their titles come as the seed has them.
		const kept = new Set(titles);
		const seedOrder = seedTitles('koganei').filter((t) => kept.has(t));
		expect(shown.map((t) => t.trim()).filter((t) => seedOrder.includes(t))).toEqual(seedOrder);
		await expect(page.locator('.report-table thead').first().textContent()).resolves.toContain(
			'令和元年度（2019）の取組み'
		);
		await expect(page.getByRole('link', { name: 'Excel（XLSX）で保存' }).getAttribute('href')).resolves.toBe(
			'/koganei/report/xlsx?year=2019'
		);
		// The year is a GET form: choosing one without JavaScript loads that year's report.
		await page.locator('select[name=year]').selectOption('2018');
		await Promise.all([page.waitForURL(/year=2018/), page.getByRole('button', { name: '表示する' }).click()]);
		await untilText(page.locator('h1'), '平成30年度（2018）');
		await page.goto(`${appUrl}/koganei/report?year=2019`);

		// At 375 px the page does not scroll sideways: the table does, inside its region.
		await page.setViewportSize({ width: 375, height: 800 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

		const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
		const file = join(dir, 'koganei.pdf');
		writeFileSync(file, pdf);
		const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
		const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
		// A4 landscape: 842 × 595 points.
		const [width, height] = (/^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info) ?? []).slice(1).map(Number);
		expect([Math.round(width!), Math.round(height!)]).toEqual([842, 595]);
		expect(count).toBeGreaterThanOrEqual(2);
		const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
		const pages = text.split('\f').filter((p) => p.trim() !== '');
		expect(pages).toHaveLength(count);
		for (const [index, body] of pages.entries()) {
			expect(body, `page ${index + 1}`).toContain('施策の内容');
			expect(body, `page ${index + 1}`).toContain('担当課');
			expect(squeeze(body), `page ${index + 1}`).toContain(`${index + 1}/${count}`);
		}
		const all = squeeze(text);
		for (const title of titles) expect(all, title).toContain(squeeze(title));
		expect(all).toContain('小金井市');
		expect(all).toContain(squeeze('令和元年度（2019） 年次報告書'));
		expect(all).toMatch(/作成日令和\d+年\d+月\d+日/);
		// The screen's controls are not printed.
		expect(all).not.toContain('CSVで保存');
	});

	it('苫小牧市 令和5年度 with JavaScript: numbered 取組事業, 事業概要 and next year’s 予定, 施策番号', async () => {
		const page = await open('viewer@tomakomai.example', true);
		await page.goto(`${appUrl}/tomakomai/report?year=2023`);
		await untilText(page.locator('h1'), '令和5年度（2023）');
		const header = await page.locator('.report-table thead').first().textContent();
		for (const heading of [
			'取組事業',
			'令和5年度（2023） 事業概要',
			'令和6年度（2024） 事業概要（予定）',
			'担当課',
			'施策番号'
		])
			expect(header).toContain(heading);
		const shown = await page.locator('.report-table tbody th[scope=row]').allTextContents();
		expect(shown.map((t) => t.trim().replace(/^\S+ /, '')).toSorted()).toEqual(
			(await liveTitles('tomakomai')).toSorted()
		);
		expect(shown[0]?.trim()).toBe('1 犯罪情報等の提供');
		await page.getByRole('navigation').getByRole('link', { name: '年次報告書' }).click();
		await page.waitForURL(/\/tomakomai\/report$/);
		// Unasked, the newest year with records (other test files of this stack may add later ones).
		await untilText(page.locator('h1'), '年次報告書');
	});

	it('the XLSX and CSV downloads: their names, headers, and the same rows', async () => {
		const cookie = await sessionCookie(appUrl, 'viewer@koganei.example');
		const download = async (format: string) => {
			const response = await fetch(`${appUrl}/koganei/report/${format}?year=2019`, { headers: { cookie } });
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('private, no-store');
			const name = encodeURIComponent(`小金井市_年次報告書_令和元年度.${format}`);
			expect(response.headers.get('content-disposition')).toBe(
				`attachment; filename="koganei-report-2019.${format}"; filename*=UTF-8''${name}`
			);
			return { type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
		};
		const csv = await download('csv');
		expect(csv.type).toBe('text/csv; charset=utf-8');
		expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(csv.bytes);
		expect(text.endsWith('\r\n')).toBe(true);
		const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { newline: '\r\n', skipEmptyLines: true }).data;
		expect(rows[0]).toEqual([
			'主要な施策',
			'施策',
			'施策',
			'担当課',
			'施策の内容',
			'平成30年度（2018）の取組み',
			'令和元年度（2019）の取組み'
		]);
		expect(
			rows
				.slice(1)
				.map((r) => r[2])
				.toSorted()
		).toEqual((await liveTitles('koganei')).toSorted());
		expect(rows[1]?.slice(0, 4)).toEqual([
			'1 日常生活における安全安心の確保',
			'(1) 地域防犯力の向上',
			'CoCoパトロール隊による地域パトロール',
			'地域安全課【全庁】'
		]);
		expect(rows[1]?.[6]).toBe('【地域安全課】\n・車両数 15台\n・パトロール回数 503回\n・距離 9,344km');

		const xlsx = await download('xlsx');
		expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		const [sheet] = await readXlsxFile(Buffer.from(xlsx.bytes));
		expect(sheet?.sheet).toBe('小金井市_年次報告書_令和元年度');
		expect(sheet?.data.map((row) => row.map((cell) => (cell === null ? '' : String(cell))))).toEqual(rows);

		// Another city's viewer gets nothing of 小金井市's report.
		const other = await sessionCookie(appUrl, 'viewer@tomakomai.example');
		const refused = await fetch(`${appUrl}/koganei/report/csv?year=2019`, { headers: { cookie: other } });
		expect([403, 404]).toContain(refused.status);
	});
});
