// An uploaded table as rows of cells, from an XLSX workbook (its first sheet) or a CSV file (UTF-8,
// or Shift_JIS as Japanese Excel writes it). Runs in workerd: read-excel-file's universal build and
// papaparse need neither a disk nor Node's modules.
import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/universal';
import type { UploadRule } from '../domain/fields.ts';
import { invalid } from '../errors.ts';

export type Cell = string | number | null;

/** Larger than any year's table as published (about 0.5 MB), small enough for a Worker's memory. */
export const POPULATION_UPLOAD: UploadRule = {
	maxBytes: 5 * 1024 * 1024,
	maxLabel: '5 MB',
	missingKey: 'population_file_missing',
	tooLargeKey: 'population_file_too_large'
};

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0]; // Excel 97–2003 (.xls)

function decodeText(bytes: Uint8Array): string | null {
	// A text file has no NUL bytes; a picture, a PDF's streams or an archive do.
	if (bytes.subarray(0, 8192).includes(0)) return null;
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		try {
			return new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
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

/** The rows of the file; a file that is not a table is refused on the `file` field. */
export async function readSpreadsheet(bytes: Uint8Array): Promise<Cell[][]> {
	if (startsWith(bytes, OLE2)) throw invalid('file', 'population_file_xls');
	if (startsWith(bytes, ZIP)) {
		try {
			const sheet = await readSheet(bytes.slice().buffer);
			return sheet.map((row) => row.map(cellOf));
		} catch {
			throw invalid('file', 'population_file_unreadable');
		}
	}
	const text = decodeText(bytes);
	if (text === null) throw invalid('file', 'population_file_unreadable');
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
	return parsed.data.map((row) => row.map((cell) => (cell === '' ? null : cell)));
}
