// The plan's template, as a city edits it in Excel: a sheet of initiatives (取組) and a sheet of
// yearly records (年度の記録), each with a header row of the names below. Ids (and each row's 版,
// its version when downloaded) are what re-importing matches on; a blank id is a new row. A
// record with several figures takes one row per figure: a row that fills only 数値の項目・数値・
// 単位 adds a figure to the record above it. Pure: cells in, rows (or located problems) out.
import type { Message } from '../errors.ts';
import { columnLetter, type Cell, type SheetRows } from '../sheets/read.ts';

export const INITIATIVE_SHEET = '取組';
export const RECORD_SHEET = '年度の記録';

export const INITIATIVE_COLUMNS = {
	id: '取組ID',
	version: '版',
	nodeId: '施策ID',
	node: '施策',
	code: '番号',
	title: '取組名',
	description: '内容',
	departments: '担当課',
	planRef: '施策番号',
	categories: '分類'
} as const;

export const RECORD_COLUMNS = {
	id: '記録ID',
	version: '版',
	initiativeId: '取組ID',
	fiscalYear: '年度',
	phase: '区分',
	department: '担当課',
	text: '内容',
	label: '数値の項目',
	value: '数値',
	unit: '単位'
} as const;

export type SheetKind = 'initiatives' | 'records';
export type InitiativeColumn = keyof typeof INITIATIVE_COLUMNS;
export type RecordColumn = keyof typeof RECORD_COLUMNS;

/** A problem where the city can find it: the sheet, the spreadsheet's row number, the column. */
export interface SheetProblem {
	sheet: SheetKind;
	row: number;
	column: string;
	header: string;
	reason: Message;
}

/** A row's cells by column, as text (null when blank), with where each column sits. */
export interface SheetRow<C extends string> {
	row: number;
	cells: Record<C, Cell>;
}

export interface SheetTable<C extends string> {
	kind: SheetKind;
	rows: SheetRow<C>[];
	/** Where each column is, to locate a problem. */
	at: (column: C) => string;
}

const normal = (cell: Cell | undefined) =>
	cell === null || cell === undefined ? '' : String(cell).normalize('NFKC').replace(/\s/g, '');

/** Words of a list cell (担当課, 分類): separated by 、 , ， ・ or line breaks. */
export const listOf = (cell: Cell): string[] =>
	cell === null
		? []
		: String(cell)
				.split(/[、,，\n]/)
				.map((s) => s.trim())
				.filter(Boolean);

export const textOf = (cell: Cell): string | undefined => (cell === null ? undefined : String(cell));

const HEADER_SEARCH_ROWS = 10;
/** Huge rows are cut: no column of the template lies beyond, and a Worker's memory is kept. */
const MAX_COLUMNS = 50;

function tableOf<C extends string>(
	kind: SheetKind,
	columns: Record<C, string>,
	rows: Cell[][],
	problems: SheetProblem[]
): SheetTable<C> | null {
	const wanted = Object.entries(columns) as [C, string][];
	const headerIndex = rows
		.slice(0, HEADER_SEARCH_ROWS)
		.findIndex((r) => r.slice(0, MAX_COLUMNS).some((c) => normal(c) === normal(wanted[0]![1])));
	if (headerIndex < 0) {
		problems.push({ sheet: kind, row: 1, column: 'A', header: '', reason: { key: 'sheet_no_header' } });
		return null;
	}
	const labels = rows[headerIndex]!.slice(0, MAX_COLUMNS).map(normal);
	const index = new Map<C, number>();
	for (const [column, header] of wanted) {
		const i = labels.indexOf(normal(header));
		if (i >= 0) index.set(column, i);
		else
			problems.push({
				sheet: kind,
				row: headerIndex + 1,
				column: '',
				header,
				reason: { key: 'sheet_missing_column', params: { header } }
			});
	}
	if (index.size < wanted.length) return null;
	const body: SheetRow<C>[] = [];
	rows.slice(headerIndex + 1).forEach((cells, i) => {
		const picked = Object.fromEntries(
			wanted.map(([column]) => {
				const cell = cells[index.get(column)!] ?? null;
				return [column, typeof cell === 'string' && cell.trim() === '' ? null : cell];
			})
		) as Record<C, Cell>;
		if (Object.values(picked).some((c) => c !== null)) body.push({ row: headerIndex + 2 + i, cells: picked });
	});
	return { kind, rows: body, at: (column) => columnLetter(index.get(column)!) };
}

export interface PlanSheets {
	initiatives: SheetTable<InitiativeColumn> | null;
	records: SheetTable<RecordColumn> | null;
	problems: SheetProblem[];
}

/**
 * The template's tables in a workbook: its sheets by name, or (a CSV file, a renamed sheet) by
 * their header: a 取組名 column makes a sheet of initiatives, a 記録ID column one of records.
 */
export function readPlanSheets(sheets: SheetRows[]): PlanSheets {
	const problems: SheetProblem[] = [];
	const out: PlanSheets = { initiatives: null, records: null, problems };
	const has = (rows: Cell[][], header: string) =>
		rows.slice(0, HEADER_SEARCH_ROWS).some((r) => r.slice(0, MAX_COLUMNS).some((c) => normal(c) === header));
	for (const sheet of sheets) {
		const kind: SheetKind | null =
			sheet.name === INITIATIVE_SHEET || (sheet.name !== RECORD_SHEET && has(sheet.rows, '取組名'))
				? 'initiatives'
				: sheet.name === RECORD_SHEET || has(sheet.rows, '記録ID')
					? 'records'
					: null;
		if (!kind || out[kind]) continue;
		if (kind === 'initiatives') out.initiatives = tableOf(kind, INITIATIVE_COLUMNS, sheet.rows, problems);
		else out.records = tableOf(kind, RECORD_COLUMNS, sheet.rows, problems);
	}
	if (!out.initiatives && !out.records && problems.length === 0)
		problems.push({ sheet: 'initiatives', row: 1, column: 'A', header: '', reason: { key: 'sheet_no_header' } });
	return out;
}
