// The yearly report of the seed cities, in their own shapes (小金井市 for 令和元年度, 苫小牧市 for
// 令和5年度), against a real sqld: every initiative of the plan, its departments, texts and the
// plan's own headings; the CSV and the XLSX read back to the same rows.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/universal';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { reportingRounds, yearlyRecords } from '@mamori/db/tenant';
import type { TenantContext } from '@mamori/services';
import { readYearlyReport, reportCsv, reportXlsx, type YearlyReport } from '@mamori/services/report';
// The test project's sqld addresses, as its global setup provides them (for the web app's type check).
import type {} from '../../../../../../db/databases/test/sqld.global.ts';
import { seededCity, seedsDir } from '../../../../../../db/services/test/seeded.ts';
import { testContext } from '../../../../../../db/services/test/context.ts';
import { cellText, reportColumns, sheetOf } from './report-table.ts';

interface SeedNode {
	title: string;
	children?: SeedNode[];
	initiatives?: { title: string; departments?: string[] }[];
}
/** The initiatives of a seed file, in the plan's order. */
function seedInitiatives(slug: string) {
	const seed = parse(readFileSync(`${seedsDir}/cities/${slug}.yaml`, 'utf8')) as { nodes: SeedNode[] };
	const walk = (nodes: SeedNode[]): { title: string; departments?: string[] }[] =>
		nodes.flatMap((n) => [...(n.initiatives ?? []), ...walk(n.children ?? [])]);
	return walk(seed.nodes);
}

const contexts: Record<string, TenantContext> = {};
const dbs: Record<string, Awaited<ReturnType<typeof seededCity>>['db']> = {};
beforeAll(async () => {
	for (const slug of ['koganei', 'tomakomai', 'meguro'] as const) {
		const city = await seededCity(slug);
		dbs[slug] = city.db;
		contexts[slug] = testContext({ db: city.db, core: openCore(city.core) });
	}
});
const report = (slug: string, fiscalYear?: unknown) =>
	readYearlyReport({ ctx: contexts[slug]!, input: { fiscalYear } });
const rowOf = (r: YearlyReport, title: string) => r.rows.find((row) => row.title === title)!;

/** The file's rows read back as text, empty cells as ''. */
async function xlsxRows(bytes: ArrayBuffer): Promise<string[][]> {
	const [sheet] = await readXlsxFile(bytes);
	return sheet!.data.map((row) => row.map((cell) => (cell === null ? '' : String(cell))));
}

describe('yearly report (real sqld)', () => {
	it('小金井市 令和元年度: this and last year, 【担当課】 blocks, the plan’s and each section’s headings', async () => {
		const r = await report('koganei');
		expect(r.shape).toBe('this_and_last_year');
		expect(r.fiscalYear).toBe(2019); // the newest year with records
		expect(r.years).toEqual([2019, 2018]);
		expect(r.columns).toEqual([
			{ fiscalYear: 2018, phase: 'actual' },
			{ fiscalYear: 2019, phase: 'actual' }
		]);
		expect(r.plan?.levelLabels).toEqual(['主要な施策', '施策']);
		const seeded = seedInitiatives('koganei');
		expect(r.rows.map((row) => row.title)).toEqual(seeded.map((i) => i.title));
		for (const [i, row] of r.rows.entries()) expect(row.departments).toEqual(seeded[i]!.departments ?? []);

		const patrol = rowOf(r, 'CoCoパトロール隊による地域パトロール');
		expect(patrol.departmentNote).toBe('【全庁】');
		expect(cellText(r, patrol, 'departments')).toBe('地域安全課【全庁】');
		expect(cellText(r, patrol, 'year0')).toBe('【地域安全課】\n・車両数 15台\n・パトロール回数 472回\n・距離 7,714km');
		expect(cellText(r, patrol, 'year1')).toBe('【地域安全課】\n・車両数 15台\n・パトロール回数 503回\n・距離 9,344km');
		expect(patrol.description).toMatch(/^青色回転灯を装備した庁用車16台/);
		// The source leaves 令和元年度 empty for this one: the row is there, its cell empty.
		const vacant = rowOf(r, '空き家の適正な管理の推進');
		expect(vacant.cells[1]).toEqual([]);
		expect(vacant.cells[0]!.length).toBeGreaterThan(0);

		expect(r.hasProgress).toBe(false);
		expect(reportColumns(r, 'ja').map((c) => c.heading)).toEqual([
			'施策',
			'担当課',
			'施策の内容',
			'平成30年度（2018）の取組み',
			'令和元年度（2019）の取組み'
		]);
		const second = r.nodes.find((n) => n.depth === 0 && n.code === '2')!;
		expect(
			reportColumns(r, 'ja', second.recordColumns)
				.slice(3)
				.map((c) => c.heading)
		).toEqual(['平成30年度（2018）の実績', '令和元年度（2019）の実績']);
		// The whole tree, depth first, with the plan's order.
		expect(r.nodes.filter((n) => n.depth === 0).map((n) => n.code)).toEqual(['1', '2', '3', '4']);
	});

	it('小金井市 平成30年度: the year before has no column of its own to fill', async () => {
		const r = await report('koganei', '2018');
		expect(r.fiscalYear).toBe(2018);
		expect(r.rows.every((row) => row.cells[0]!.length === 0)).toBe(true);
		expect(cellText(r, rowOf(r, 'CoCoパトロール隊による地域パトロール'), 'year1')).toContain('472回');
	});

	it('苫小牧市 令和5年度: numbered 取組事業, 事業概要 and next year’s 予定, 担当課, 施策番号', async () => {
		const r = await report('tomakomai');
		expect(r.shape).toBe('summary_and_plan');
		expect(r.fiscalYear).toBe(2023);
		expect(r.years).toEqual([2023]);
		expect(r.columns).toEqual([
			{ fiscalYear: 2023, phase: 'summary' },
			{ fiscalYear: 2024, phase: 'plan' }
		]);
		const seeded = seedInitiatives('tomakomai');
		expect(r.rows.map((row) => row.title)).toEqual(seeded.map((i) => i.title));
		expect(reportColumns(r, 'ja').map((c) => c.heading)).toEqual([
			'取組事業',
			'令和5年度（2023） 事業概要',
			'令和6年度（2024） 事業概要（予定）',
			'担当課',
			'施策番号'
		]);
		const first = rowOf(r, '犯罪情報等の提供');
		expect(cellText(r, first, 'title')).toBe('1 犯罪情報等の提供');
		expect(first.planRef).toBe('ア①');
		expect(first.departments).toEqual(['市民生活部市民生活課(防犯･交通安全担当)']);
		expect(cellText(r, first, 'year0')).toMatch(/^\s*青少年課、警察等関係機関からの犯罪情報/);
		expect(cellText(r, first, 'year1')).toMatch(/^\s*警察等関係機関からの犯罪情報を市ホームページ/);
		expect(r.plan?.levelLabels).toEqual(['分野']);
		expect(r.nodes.map((n) => n.depth)).toEqual(r.nodes.map(() => 0));
	});

	it('a status column, in the words of the year’s round, when a record of the year has one', async () => {
		const db = dbs.koganei!;
		const [record] = await db.select().from(yearlyRecords).all();
		const year = record!.fiscalYear;
		// Every row's version moves by one on a write (the database's guard).
		const bump = { version: sql`${yearlyRecords.version} + 1` };
		await db
			.update(yearlyRecords)
			.set({ progress: 'partial', ...bump })
			.run();
		await db
			.insert(reportingRounds)
			.values({
				id: 'round-x',
				fiscalYear: year,
				deadline: `${year + 1}-05-31`,
				progressLabels: { partial: '一部実施済' }
			})
			.run();
		const r = await report('koganei', year);
		expect(r.hasProgress).toBe(true);
		expect(reportColumns(r, 'ja').at(-1)?.heading).toBe('実施状況');
		const row = r.rows.find((x) => x.id === record!.initiativeId)!;
		expect(cellText(r, row, 'progress')).toMatch(/一部実施済$/);
		await db
			.update(yearlyRecords)
			.set({ progress: null, ...bump })
			.run();
		await db.delete(reportingRounds).run();
	});

	it('目黒区 has no yearly records: no year to report', async () => {
		const r = await report('meguro');
		expect(r.fiscalYear).toBeNull();
		expect(r.columns).toEqual([]);
	});

	for (const [slug, year, city] of [
		['koganei', 2019, '小金井市'],
		['tomakomai', 2023, '苫小牧市']
	] as const)
		it(`${city}: the CSV (BOM, CRLF) and the XLSX read back to the same rows`, async () => {
			const r = await report(slug, year);
			const sheet = sheetOf(r, { city, locale: 'ja' });
			expect(sheet.rows).toHaveLength(r.rows.length);
			expect(sheet.header.slice(0, r.plan!.levelLabels.length)).toEqual(r.plan!.levelLabels);

			const csv = reportCsv(sheet);
			expect(csv.startsWith('\uFEFF')).toBe(true);
			expect(
				csv
					.replace(/"[^"]*"/g, '')
					.split('\n')
					.every((line) => line === '' || line.endsWith('\r'))
			).toBe(true);
			const parsed = Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true });
			expect(parsed.errors).toEqual([]);
			expect(parsed.data).toEqual([sheet.header, ...sheet.rows]);

			const xlsx = await reportXlsx(sheet);
			expect(await xlsxRows(xlsx)).toEqual([sheet.header, ...sheet.rows]);
			expect(sheet.name).toBe(`${city}_年次報告書_${year === 2019 ? '令和元年度' : '令和5年度'}`);
		});
});
