// A table written for a city to open in Excel: an XLSX workbook (one sheet per table) or a CSV
// file, UTF-8 with a byte-order mark (without it, Japanese Excel reads UTF-8 as Shift_JIS).
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import type { Cell } from './read.ts';

export async function xlsxBytes(sheets: { name: string; rows: Cell[][] }[]): Promise<Uint8Array> {
	const blob = await writeXlsxFile(
		sheets.map((s) => ({
			sheet: s.name,
			data: s.rows.map((row) => row.map((value) => (value === null ? null : { value })))
		}))
	).toBlob();
	return new Uint8Array(await blob.arrayBuffer());
}

export type CsvCell = string | number | boolean | null | undefined;

/**
 * The one CSV writer (downloads, reports, the API's open data, plan sheets): UTF-8 with a BOM,
 * CRLF line ends, quoted where a cell needs it. `escapeFormulae`: text that would start a formula
 * in a spreadsheet (= + - @) is prefixed with a quote, for files anyone opens (open data); off for
 * a file Mamori's own importer reads back value for value (a plan sheet, a report).
 */
export function csvText(rows: CsvCell[][], { escapeFormulae = false }: { escapeFormulae?: boolean } = {}): string {
	return `\uFEFF${Papa.unparse(
		rows.map((row) => row.map((c) => c ?? '')),
		{ newline: '\r\n', escapeFormulae }
	)}\r\n`;
}
