import { count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, type CoreDb, type DatabaseLocation } from '@mamori/db';
import { municipalityPopulations, populationImports, users } from '@mamori/db/core';
import { benchmarkFacts } from '@mamori/db/core/benchmarks';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { populationTable, syntheticPopulation, tableCsv, tableXlsx, type BadRow } from '../../test/population-table.ts';
import { AccessDeniedError, type Principal } from '../auth/index.ts';
import { publishFiscalYear } from '../benchmarks/publish.ts';
import { indicatorView } from '../benchmarks/views.ts';
import { coreContext, type CoreContext } from '../context.ts';
import { InvalidError } from '../errors.ts';
import { word } from '../words.ts';
import { confirmPopulationImport, listPopulationDates, previewPopulationImport } from './import.ts';

const file = (bytes: Uint8Array, name: string) => new File([bytes.slice()], name);

const expectedReason = (bad: BadRow) =>
	({
		check_digit: `団体コード「${bad.code}」の検査数字（6桁目）が正しくありません。`,
		unknown: `団体コード「${bad.code}」の市区町村は登録されていません。`,
		duplicate: `団体コード「${bad.code}」は ${bad.duplicateOf} 行目と重複しています。`
	})[bad.reason];

describe('population import (real sqld)', () => {
	let location: DatabaseLocation;
	let core: CoreDb;
	let ctx: CoreContext;

	/** Every core row an import may write: populations and staged imports. */
	const coreRows = async () => {
		const [[p], [i]] = await core.batch([
			core.select({ n: count() }).from(municipalityPopulations),
			core.select({ n: count() }).from(populationImports)
		]);
		return { populations: p!.n, imports: i!.n };
	};
	const populationsOn = async (date: string) =>
		(
			await core
				.select({ n: count() })
				.from(municipalityPopulations)
				.where(eq(municipalityPopulations.referenceDate, date))
		)[0]!.n;

	beforeAll(async () => {
		location = await seededCore();
		core = openCore(location);
		const operatorId = newId();
		await core.insert(users).values({ id: operatorId, email: `${operatorId}@op.example`, displayName: '運用 担当' });
		const operator: Principal = {
			userId: operatorId,
			email: `${operatorId}@op.example`,
			displayName: '運用 担当',
			isOperator: true,
			memberships: [],
			prefectures: []
		};
		ctx = coreContext({ core, principal: operator });
	});

	for (const format of ['csv', 'xlsx'] as const) {
		it(`${format}: a 1,741-row table with three bad rows lists exactly those three and writes nothing; the corrected table imports in one go`, async () => {
			const header = format === 'csv' ? 'single' : 'double';
			const encode = format === 'csv' ? tableCsv : tableXlsx;
			const date = format === 'csv' ? '2020-01-01' : '2021-01-01';
			const title = format === 'csv' ? '令和2年1月1日現在' : '令和3年1月1日現在';
			const broken = populationTable({ header, bad: true, title });
			expect(broken.municipalities).toBe(1741);
			expect(broken.bad.map((b) => b.reason)).toEqual(['check_digit', 'unknown', 'duplicate']);

			const before = await coreRows();
			const refused = await previewPopulationImport({
				ctx,
				input: { file: file(await encode(broken.rows), `populations.${format}`) }
			});
			expect(refused.status).toBe('problems');
			if (refused.status !== 'problems') return;
			expect(refused.referenceDate).toBe(date);
			expect(
				refused.problems.map((p) => ({ row: p.row, column: p.column, header: p.header, reason: word('ja', p.reason) }))
			).toEqual(broken.bad.map((b) => ({ row: b.row, column: 'A', header: '団体コード', reason: expectedReason(b) })));
			expect(await coreRows()).toEqual(before);

			const corrected = populationTable({ header, title });
			const ready = await previewPopulationImport({
				ctx,
				input: { file: file(await encode(corrected.rows), `populations.${format}`) }
			});
			expect(ready).toMatchObject({
				status: 'ready',
				referenceDate: date,
				rowCount: 1741,
				replacing: 0,
				skipped: { totals: 47, wards: 1 },
				missing: []
			});
			if (ready.status !== 'ready') return;
			expect(await populationsOn(date)).toBe(0); // a preview writes no population

			expect(await confirmPopulationImport({ ctx, input: { importId: ready.importId } })).toEqual({
				imported: 1741,
				referenceDate: date
			});
			expect(await populationsOn(date)).toBe(1741);
			const [sapporo] = await core
				.select()
				.from(municipalityPopulations)
				.where(
					sql`${municipalityPopulations.municipalityCode} = '011002' and ${municipalityPopulations.referenceDate} = ${date}`
				);
			expect(sapporo).toMatchObject({
				population: syntheticPopulation(0),
				kind: '住民基本台帳人口',
				importId: ready.importId
			});
			// Confirming twice (a double click, a reload) imports nothing more.
			expect(await confirmPopulationImport({ ctx, input: { importId: ready.importId } })).toEqual({
				imported: 1741,
				referenceDate: date
			});
			expect(await populationsOn(date)).toBe(1741);
		});
	}

	it('a failure part-way through the confirmed import leaves none of its rows', async () => {
		const ready = await previewPopulationImport({
			ctx,
			input: { file: file(tableCsv(populationTable().rows), 'p.csv'), referenceDate: '令和4年1月1日' }
		});
		if (ready.status !== 'ready') throw new Error('expected a clean preview');
		expect(ready.referenceDate).toBe('2022-01-01');
		// The last row is spoilt where it waits: the database refuses it, after 1,740 good rows.
		await core
			.update(populationImports)
			.set({ rows: sql`json_set(rows, '$[#-1][1]', -1)` })
			.where(eq(populationImports.id, ready.importId));
		await expect(confirmPopulationImport({ ctx, input: { importId: ready.importId } })).rejects.toThrow();
		expect(await populationsOn('2022-01-01')).toBe(0);
		const [staged] = await core.select().from(populationImports).where(eq(populationImports.id, ready.importId));
		expect(staged!.status).toBe('pending');
	});

	it('codes stored as numbers keep their leading zero; a typed date must agree with what it can read', async () => {
		const preview = await previewPopulationImport({
			ctx,
			input: { file: file(await tableXlsx(populationTable({ numericCodes: true }).rows), 'p.xlsx') }
		});
		expect(preview).toMatchObject({ status: 'ready', rowCount: 1741 });
		await expect(
			previewPopulationImport({ ctx, input: { file: file(tableCsv([['団体コード', '総数']]), 'p.csv') } })
		).rejects.toThrow(InvalidError);
		const noDate = await previewPopulationImport({
			ctx,
			input: { file: file(tableCsv(populationTable({ title: '市区町村別' }).rows), 'p.csv') }
		}).catch((e: InvalidError) => e.issues);
		expect(noDate).toEqual({ referenceDate: { key: 'population_date_missing' } });
	});

	it('refuses what is not a population table, too large, or not from an operator — with a Japanese message', async () => {
		const issue = (input: Record<string, unknown>) =>
			previewPopulationImport({ ctx, input }).then(
				() => null,
				(e: InvalidError) => Object.fromEntries(Object.entries(e.issues).map(([k, m]) => [k, word('ja', m)]))
			);
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		expect(await issue({ file: file(png, 'photo.png') })).toEqual({
			file: 'このファイルは表として読み込めません。XLSX（Excel ブック）または CSV のファイルを選んでください。'
		});
		expect(await issue({ file: file(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), 'old.xls') })).toMatchObject({
			file: expect.stringContaining('.xls')
		});
		expect(await issue({ file: file(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]), 'broken.xlsx') })).toMatchObject(
			{
				file: expect.stringContaining('読み込めません')
			}
		);
		expect(await issue({ file: file(new TextEncoder().encode('名前,年齢\n山田,30\n'), 'other.csv') })).toEqual({
			file: 'ファイルに「団体コード」の見出しが見つかりません。総務省の「住民基本台帳に基づく人口」の市区町村別の表を選んでください。'
		});
		expect(await issue({ file: file(new Uint8Array(5 * 1024 * 1024 + 1), 'big.csv') })).toMatchObject({
			file: expect.stringContaining('ファイルが大きすぎます（上限 5 MB）')
		});
		expect(await issue({ file: file(new Uint8Array(), '') })).toEqual({ file: '取り込むファイルを選んでください。' });
		expect(await issue({})).toEqual({ file: '取り込むファイルを選んでください。' });
		const viewer = coreContext({ core, principal: null });
		await expect(
			previewPopulationImport({ ctx: viewer, input: { file: file(tableCsv([]), 'p.csv') } })
		).rejects.toThrow(AccessDeniedError);
		await expect(confirmPopulationImport({ ctx: viewer, input: { importId: 'x' } })).rejects.toThrow(AccessDeniedError);
	});

	it('a Shift_JIS CSV, as Japanese Excel saves it, reads the same', async () => {
		const sjis = tableCsv(
			[
				['令和2年1月1日現在'],
				['団体コード', '都道府県名', '市区町村名', '総数'],
				['131105', '東京都', '目黒区', 280000]
			],
			'shift_jis'
		);
		const preview = await previewPopulationImport({ ctx, input: { file: file(sjis, 'sjis.csv') } });
		expect(preview).toMatchObject({ status: 'ready', referenceDate: '2020-01-01', rowCount: 1 });
	});

	it('normalisation takes the population nearest the figure’s period and names its date', async () => {
		const { db, tenant } = await seededCity('meguro', { core: location });
		const cityCtx = testContext({ db, core, tenant, actor: { id: null, name: '防犯担当 管理者' } });
		await publishFiscalYear({ ctx: cityCtx, input: { fiscalYear: 2020 } });
		const [fact] = await core
			.select({ kind: benchmarkFacts.periodKind, year: benchmarkFacts.periodYear })
			.from(benchmarkFacts)
			.where(eq(benchmarkFacts.indicatorCode, 'alert_mail_subscribers'));
		expect(fact).toEqual({ kind: 'fiscal_year', year: 2020 });
		// Held for 目黒区: 2020-01-01 and 2021-01-01 (imported above), 2022-01-01 (failed: none), 2025-01-01 (seed).
		// 令和2年度 runs April 2020 – March 2021: its middle (1 October 2020) is nearest 1 January 2021.
		const view = await indicatorView({
			core,
			scope: { prefectureCode: '13' },
			fiscalYear: 2020,
			indicatorCode: 'alert_mail_subscribers'
		});
		const meguro = view.rows.find((r) => r.municipalityCode === '131105')!;
		const [held] = await core
			.select({ population: municipalityPopulations.population })
			.from(municipalityPopulations)
			.where(
				sql`${municipalityPopulations.municipalityCode} = '131105' and ${municipalityPopulations.referenceDate} = '2021-01-01'`
			);
		expect(meguro).toMatchObject({ populationDate: '2021-01-01', population: held!.population });
		expect(meguro.normalised).toBeCloseTo((meguro.value / held!.population) * 10_000, 6);

		// A calendar-year figure of 2020 (its middle 1 July) takes 1 January 2020.
		const thefts = await indicatorView({
			core,
			scope: { prefectureCode: '13' },
			fiscalYear: 2020,
			indicatorCode: 'bicycle_thefts'
		});
		expect(thefts.rows.find((r) => r.municipalityCode === '131105')).toMatchObject({
			periodKind: 'calendar_year',
			periodYear: 2020,
			populationDate: '2020-01-01'
		});

		const dates = await listPopulationDates({ ctx });
		expect(
			dates
				.filter((d) => d.kind === '住民基本台帳人口' && d.source.startsWith('総務省'))
				.map((d) => [d.referenceDate, d.municipalities])
		).toEqual([
			['2021-01-01', 1741],
			['2020-01-01', 1741]
		]);
	});
});
