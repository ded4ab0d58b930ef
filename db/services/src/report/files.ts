// A report table as files for Excel: XLSX (write-excel-file's universal build, which runs in
// workerd) and CSV as UTF-8 with a BOM and CRLF line ends, which Excel opens as UTF-8 without
// asking. The table is already worded; these only lay it out.
import writeXlsxFile from 'write-excel-file/universal';
import { csvText } from '../sheets/write.ts';

export interface ReportTable {
	/** The sheet's name (Excel allows 31 characters, no []:*?/\). */
	name: string;
	header: string[];
	rows: string[][];
	/** Column widths in characters, one per header cell. */
	widths: number[];
}

export function reportCsv(table: ReportTable): string {
	return csvText([table.header, ...table.rows]);
}

export async function reportXlsx(table: ReportTable): Promise<ArrayBuffer> {
	const header = table.header.map((value) => ({
		value,
		fontWeight: 'bold' as const,
		wrap: true,
		alignVertical: 'top' as const
	}));
	const rows = table.rows.map((row) =>
		row.map((value) => (value ? { value, wrap: true, alignVertical: 'top' as const } : null))
	);
	const blob = await writeXlsxFile([header, ...rows], {
		sheet: table.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31),
		columns: table.widths.map((width) => ({ width })),
		stickyRowsCount: 1,
		orientation: 'landscape'
	}).toBlob();
	return blob.arrayBuffer();
}
