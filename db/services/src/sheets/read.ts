// An uploaded table as rows of cells, from an XLSX workbook or a CSV file (UTF-8, or Shift_JIS as
// Japanese Excel writes it): the one way Mamori reads a spreadsheet (the population table, a
// city's plan). Runs in workerd: read-excel-file's universal build and papaparse need neither a
// disk nor Node's modules.
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/universal';
import { invalid } from '../errors.ts';

export type Cell = string | number | null;

/** One sheet of a workbook (`name` null for a CSV file, which has one unnamed sheet). */
export interface SheetRows {
	name: string | null;
	rows: Cell[][];
}

/** The catalogue keys of what is refused on the `file` field: an old .xls workbook, anything else unreadable. */
export interface SheetFileKeys {
	xls: string;
	unreadable: string;
}

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0]; // Excel 97–2003 (.xls)

function decodeText(bytes: Uint8Array): string | null {
	// A text file has no NUL bytes; a picture, a PDF's streams or an archive do.
	if (bytes.subarray(0, 8192).includes(0)) return null;
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		try {
			return new TextDecoder('shift_jis', { fatal: true, ignoreBOM: false }).decode(bytes);
		} catch {
			return null;
		}
	}
}

function cellOf(value: unknown): Cell {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return value;
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	return String(value);
}

/** Every sheet of the file, in order; a file that is not a table is refused on the `file` field. */
export async function readWorkbook(bytes: Uint8Array, keys: SheetFileKeys): Promise<SheetRows[]> {
	if (startsWith(bytes, OLE2)) throw invalid('file', keys.xls);
	if (startsWith(bytes, ZIP)) {
		try {
			const sheets = await readXlsxFile(bytes.slice().buffer);
			return sheets.map((s) => ({ name: s.sheet, rows: s.data.map((row) => row.map(cellOf)) }));
		} catch {
			throw invalid('file', keys.unreadable);
		}
	}
	const text = decodeText(bytes);
	if (text === null) throw invalid('file', keys.unreadable);
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
	return [{ name: null, rows: parsed.data.map((row) => row.map((cell) => (cell === '' ? null : cell))) }];
}

/** The rows of the file's first sheet. */
export async function readSpreadsheet(bytes: Uint8Array, keys: SheetFileKeys): Promise<Cell[][]> {
	const [first] = await readWorkbook(bytes, keys);
	return first?.rows ?? [];
}

/** A column's letter as a spreadsheet shows it: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
	let out = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
	return out;
}
