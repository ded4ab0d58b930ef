// The 住民基本台帳に基づく人口 table as 総務省 publishes it: title rows (one of them names the
// reference date, e.g. 令和6年1月1日現在), a header (団体コード, 都道府県名, 市区町村名, 総数 or
// 人口 over 男/女/計, 世帯数 …, sometimes on two rows), then one row per municipality with the
// prefecture totals between them, and notes below. Pure: the rows in, what they say out.
import type { Message } from '../errors.ts';
import { isValidMunicipalityCode } from '../domain/municipality-code.ts';
import { findReferenceDate } from './dates.ts';
import { columnLetter, type Cell } from '../sheets/read.ts';

export interface MasterMunicipality {
	code: string;
	name: string;
	prefectureCode: string;
}

/** A bad row: the spreadsheet's own row number and column (A, B, …) and the reason. */
export interface TableProblem {
	row: number;
	column: string;
	header: string;
	reason: Message;
}

export interface PopulationTable {
	referenceDate: string | null;
	rows: [code: string, population: number][];
	problems: TableProblem[];
	/** Rows that are not municipalities of the master: prefecture totals, wards of designated cities. */
	skipped: { totals: number; wards: number };
	/** Municipalities of the master the file does not list. */
	missing: MasterMunicipality[];
}

const text = (cell: Cell | undefined) =>
	cell === null || cell === undefined ? '' : String(cell).normalize('NFKC').replace(/\s/g, '');

const HEADER_SEARCH_ROWS = 30;

/** The column of the total population: 総数, else a 計 that is not of households or of one sex. */
function populationColumn(labels: string[]): number {
	const not = (l: string) => !/世帯|男|女|日本人|外国人|動態|増減/.test(l);
	const rules = [
		(l: string) => /総数|総人口/.test(l) && not(l),
		(l: string) => /計$/.test(l) && not(l),
		(l: string) => l === '人口'
	];
	for (const rule of rules) {
		const index = labels.findIndex(rule);
		if (index >= 0) return index;
	}
	return -1;
}

/** A designated city's ward (札幌市中央区): not in the master, whose city row carries the total. */
function isWard(name: string, prefectureCode: string, master: MasterMunicipality[]): boolean {
	return (
		/区$/.test(name) &&
		master.some((m) => m.prefectureCode === prefectureCode && m.name.endsWith('市') && name.startsWith(m.name))
	);
}

function populationOf(cell: Cell | undefined): number | null {
	if (typeof cell === 'number') return Number.isSafeInteger(cell) && cell >= 0 ? cell : null;
	const t = text(cell).replace(/,/g, '');
	return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

/** Reads the table; throws nothing: a layout it cannot find is `header: null`. */
export function readPopulationTable(
	cells: Cell[][],
	master: MasterMunicipality[]
): PopulationTable | { header: null; missingColumn: 'code' | 'population' } {
	const headerRow = cells.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => row.some((c) => text(c) === '団体コード'));
	if (headerRow < 0) return { header: null, missingColumn: 'code' };
	const codeColumn = cells[headerRow]!.findIndex((c) => text(c) === '団体コード');
	const isCode = (cell: Cell | undefined) => /^\d{5,6}$/.test(text(cell));
	let firstData = headerRow + 1;
	while (firstData < cells.length && firstData < headerRow + 4 && !isCode(cells[firstData]![codeColumn])) firstData++;
	// A header on two rows (人口 over 男, 女, 計) reads as one label per column.
	const width = Math.max(...cells.slice(headerRow, firstData).map((r) => r.length));
	const labels = Array.from({ length: width }, (_, c) =>
		cells
			.slice(headerRow, firstData)
			.map((r) => text(r[c]))
			.join('')
	);
	const populationIndex = populationColumn(labels);
	if (populationIndex < 0) return { header: null, missingColumn: 'population' };
	const nameIndex = labels.findIndex((l) => l.includes('市区町村名'));
	const referenceDate = cells
		.slice(0, headerRow)
		.reduce<string | null>(
			(found, row) => found ?? row.map((c) => findReferenceDate(text(c))).find((d) => d !== null) ?? null,
			null
		);

	const byCode = new Map(master.map((m) => [m.code, m]));
	const firstRowOf = new Map<string, number>();
	const out: PopulationTable = { referenceDate, rows: [], problems: [], skipped: { totals: 0, wards: 0 }, missing: [] };
	const problem = (row: number, column: number, reason: Message) =>
		out.problems.push({ row: row + 1, column: columnLetter(column), header: labels[column] ?? '', reason });

	for (let r = firstData; r < cells.length; r++) {
		const row = cells[r]!;
		const rawCode = row[codeColumn];
		let code = text(rawCode);
		const population = populationOf(row[populationIndex]);
		// A row without a code is a blank line, a note (注 …) or the national total (合計).
		if (!code) {
			if (population !== null) out.skipped.totals++;
			continue;
		}
		if (!/^\d+$/.test(code) && population === null) continue;
		// A code read as a number has lost its leading zero (北海道 01…).
		if (typeof rawCode === 'number' && code.length === 5) code = `0${code}`;
		if (!/^\d{6}$/.test(code)) {
			problem(r, codeColumn, { key: 'population_code_format', params: { code: code || '—' } });
			continue;
		}
		if (!isValidMunicipalityCode(code)) {
			problem(r, codeColumn, { key: 'population_code_check_digit', params: { code } });
			continue;
		}
		if (code.slice(2, 5) === '000') {
			out.skipped.totals++;
			continue;
		}
		if (!byCode.has(code)) {
			if (isWard(text(row[nameIndex]), code.slice(0, 2), master)) out.skipped.wards++;
			else problem(r, codeColumn, { key: 'population_code_unknown', params: { code } });
			continue;
		}
		const first = firstRowOf.get(code);
		if (first !== undefined) {
			problem(r, codeColumn, { key: 'population_code_duplicate', params: { code, row: first + 1 } });
			continue;
		}
		firstRowOf.set(code, r);
		if (population === null) {
			problem(r, populationIndex, {
				key: text(row[populationIndex]) ? 'population_value_invalid' : 'population_value_missing'
			});
			continue;
		}
		out.rows.push([code, population]);
	}
	out.missing = master.filter((m) => !firstRowOf.has(m.code));
	return out;
}
