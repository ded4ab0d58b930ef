// Random and malformed input fed to the sheet reader and the import's validator: random bytes
// (some posing as a workbook), random cells under the template's headers, wrong headers, huge rows.
// Never a crash: a refusal on the file field, or a proposal whose every problem is located and
// worded by a key of the catalogue.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { InvalidError, type TenantContext } from '../index.ts';
import { readWorkbook, type Cell } from '../sheets/read.ts';
import { csvText, xlsxBytes } from '../sheets/write.ts';
import { INITIATIVE_COLUMNS, INITIATIVE_SHEET, RECORD_COLUMNS, RECORD_SHEET, readPlanSheets } from './layout.ts';
import { propose } from './proposal.ts';
import { readPlanState, type PlanState } from './state.ts';

const catalogue = JSON.parse(
	readFileSync(new URL('../../../../apps/web/messages/ja.json', import.meta.url), 'utf-8')
) as Record<string, string>;
const KEYS = { xls: 'sheet_file_xls', unreadable: 'sheet_file_unreadable' };

describe('the plan sheet reader and validator under random input (fast-check)', () => {
	let ctx: TenantContext;
	let state: PlanState;
	let taxonomy: Set<string>;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		ctx = testContext({ db: city.db, core: openCore(city.core) });
		state = await readPlanState(ctx);
		taxonomy = (await ctx.shared()).taxonomyCodes;
	});

	const readOrRefuse = async (bytes: Uint8Array) => {
		try {
			const sheets = await readWorkbook(bytes, KEYS);
			expect(Array.isArray(sheets)).toBe(true);
		} catch (error) {
			expect(error).toBeInstanceOf(InvalidError);
			expect(Object.keys((error as InvalidError).issues)).toEqual(['file']);
		}
	};

	it('random bytes, some starting as a ZIP or an old .xls, are read or refused on the file field', async () => {
		const prefix = fc.constantFrom([], [0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0], [0xef, 0xbb, 0xbf]);
		await fc.assert(
			fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 2_000 }), async (head, body) => {
				await readOrRefuse(new Uint8Array([...head, ...body]));
			}),
			{ numRuns: 150 }
		);
	});

	it('a real workbook cut short or with bytes flipped is read or refused on the file field', async () => {
		const whole = await xlsxBytes([{ name: INITIATIVE_SHEET, rows: [Object.values(INITIATIVE_COLUMNS)] }]);
		await fc.assert(
			fc.asyncProperty(
				fc.nat(whole.length),
				fc.array(fc.nat(whole.length - 1), { maxLength: 20 }),
				async (cut, flips) => {
					const bytes = whole.slice(0, Math.max(cut, 4));
					for (const at of flips) if (at < bytes.length) bytes[at] = bytes[at]! ^ 0xff;
					await readOrRefuse(bytes);
				}
			),
			{ numRuns: 60 }
		);
	});

	/** Cells a city might type, and junk: ids of the plan, its words, numbers, years, emptiness, long text. */
	const cellArb = (): fc.Arbitrary<Cell> =>
		fc.oneof(
			fc.constant(null),
			fc.string({ maxLength: 20 }),
			fc.double(),
			fc.integer(),
			fc.constantFrom(
				...state.initiatives.slice(0, 5).map((i) => i.id),
				...state.records.slice(0, 5).map((r) => r.id),
				...state.nodes.slice(0, 3).map((n) => n.id),
				...state.departments.slice(0, 3).map((d) => d.name),
				'令和3',
				'R3',
				'平成31',
				'2021',
				'元年',
				'実績',
				'予定',
				'事業概要',
				'件',
				'%',
				'patrol.official',
				'、、',
				'\u0000',
				'x'.repeat(25_000)
			)
		);
	const headerArb = (columns: Record<string, string>) =>
		fc.oneof(
			fc.constant(Object.values(columns)),
			fc.shuffledSubarray(Object.values(columns)),
			fc.array(fc.string({ maxLength: 8 }), { maxLength: 12 })
		);
	const tableArb = (columns: Record<string, string>) =>
		fc
			.tuple(
				fc.array(fc.array(cellArb(), { maxLength: 3 }), { maxLength: 2 }), // title rows above the header
				headerArb(columns),
				fc.array(fc.array(cellArb(), { maxLength: 14 }), { maxLength: 25 }),
				fc.array(cellArb(), { minLength: 0, maxLength: 300 }) // a huge row
			)
			.map(([above, header, rows, huge]) => [...above, header, ...rows, huge]);

	it('random cells under right, shuffled or wrong headers give a proposal or located, worded problems', async () => {
		await fc.assert(
			fc.asyncProperty(
				tableArb(INITIATIVE_COLUMNS),
				tableArb(RECORD_COLUMNS),
				fc.constantFrom<[string | null, string | null]>(
					[INITIATIVE_SHEET, RECORD_SHEET],
					[null, null],
					['Sheet1', 'Sheet2']
				),
				async (initiatives, records, [a, b]) => {
					const proposal = propose(
						ctx,
						readPlanSheets([
							{ name: a, rows: initiatives },
							{ name: b, rows: records }
						]),
						state,
						taxonomy
					);
					for (const p of proposal.problems) {
						expect(['initiatives', 'records']).toContain(p.sheet);
						expect(Number.isInteger(p.row) && p.row >= 1).toBe(true);
						expect(p.column).toMatch(/^[A-Z]*$/);
						expect(catalogue[p.reason.key], p.reason.key).toBeTypeOf('string');
					}
					if (proposal.problems.length === 0)
						for (const c of proposal.changes) expect(['add', 'change']).toContain(c.kind);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('random cells written as CSV or XLSX and read back give located problems too (or a refusal on the file field)', async () => {
		await fc.assert(
			fc.asyncProperty(tableArb(RECORD_COLUMNS), fc.boolean(), async (rows, asCsv) => {
				const clean = rows.map((r) =>
					r.map((c) => (typeof c === 'string' ? c.replaceAll('\u0000', '').slice(0, 200) || null : c))
				);
				const bytes = asCsv
					? new TextEncoder().encode(csvText(clean))
					: await xlsxBytes([{ name: RECORD_SHEET, rows: clean }]);
				// write-excel-file writes a cell of "toString" (a name of Object's prototype) as a broken
				// shared string, which the reader then refuses on the file field: a refusal, not a crash.
				const sheets = await readWorkbook(bytes, KEYS).catch((error: unknown) => {
					expect(error).toBeInstanceOf(InvalidError);
					return [];
				});
				const proposal = propose(ctx, readPlanSheets(sheets), state, taxonomy);
				for (const p of proposal.problems) expect(catalogue[p.reason.key], p.reason.key).toBeTypeOf('string');
			}),
			{ numRuns: 60 }
		);
	});
});
