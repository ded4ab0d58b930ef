// A table written for a city to open in Excel: an XLSX workbook (one sheet per table) or a CSV
// file, UTF-8 with a byte-order mark (without it, Japanese Excel reads UTF-8 as Shift_JIS).
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import type { Cell, SheetRows } from './read.ts';

export async function xlsxBytes(sheets: { name: string; rows: Cell[][] }[]): Promise<Uint8Array> {
	const blob = await writeXlsxFile(
		sheets.map((s) => ({
			sheet: s.name,
			data: s.rows.map((row) => row.map((value) => (value === null ? null : { value })))
		}))
	).toBlob();
	return new Uint8Array(await blob.arrayBuffer());
}

export function csvText(sheet: Pick<SheetRows, 'rows'>): string {
	return `\uFEFF${Papa.unparse(
		sheet.rows.map((row) => row.map((c) => (c === null ? '' : c))),
		{ newline: '\r\n' }
	)}\r\n`;
}
