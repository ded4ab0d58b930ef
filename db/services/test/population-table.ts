// A 住民基本台帳に基づく人口 table laid out as 総務省 publishes it — title rows with the reference
// date, a header (on one row, or 人口 over 男/女/計 on two), a prefecture total before each
// prefecture's municipalities, a designated city's ward, a note below — with one row for each of
// the master's 1,741 municipalities. The populations are synthetic: this is a test file.
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import writeXlsxFile from 'write-excel-file/universal';
import { municipalityCheckDigit } from '../src/domain/municipality-code.ts';
import { readCsv } from '../src/seed/seed-files.ts';

const seeds = fileURLToPath(new URL('../../../seeds/', import.meta.url));
const municipalities = readCsv(`${seeds}municipalities.csv`);
const prefectureNames = new Map(readCsv(`${seeds}prefectures.csv`).map((p) => [p.code!, p.name!]));

export type TableCell = string | number | null;

export interface BadRow {
	row: number;
	code: string;
	reason: 'check_digit' | 'unknown' | 'duplicate';
	duplicateOf?: number;
}

const withCheckDigit = (five: string) => `${five}${municipalityCheckDigit(five)}`;

/** Synthetic, but stable: the same municipality always gets the same population. */
export const syntheticPopulation = (index: number) => 1_000 + ((index * 7_919) % 400_000);

export function populationTable(
	options: {
		title?: string;
		header?: 'single' | 'double';
		bad?: boolean;
		/** Codes as numbers, as a sheet whose code column is numeric holds them (北海道 loses its 0). */
		numericCodes?: boolean;
	} = {}
) {
	const header = options.header ?? 'single';
	const rows: TableCell[][] = [
		['令和2年住民基本台帳人口・世帯数、令和元年人口動態（市区町村別）（総計）'],
		[options.title ?? '令和2年1月1日現在'],
		[],
		header === 'single'
			? ['団体コード', '都道府県名', '市区町村名', '男', '女', '総数', '世帯数']
			: ['団体コード', '都道府県名', '市区町村名', '人口', null, null, '世帯数']
	];
	if (header === 'double') rows.push([null, null, null, '男', '女', '計', null]);
	const codeOf: string[] = [];
	const rowOf: number[] = [];
	const bad: BadRow[] = [];
	let prefecture = '';
	municipalities.forEach((m, index) => {
		if (m.prefecture_code !== prefecture) {
			prefecture = m.prefecture_code!;
			rows.push([withCheckDigit(`${prefecture}000`), prefectureNames.get(prefecture)!, null, 0, 0, 0, 0]);
		}
		const population = syntheticPopulation(index);
		let code = m.code!;
		if (options.bad && index === 100) {
			code = `${code.slice(0, 5)}${(Number(code[5]) + 1) % 10}`;
			bad.push({ row: rows.length + 1, code, reason: 'check_digit' });
		} else if (options.bad && index === 500) {
			code = withCheckDigit(`${prefecture}999`);
			bad.push({ row: rows.length + 1, code, reason: 'unknown' });
		} else if (options.bad && index === 900) {
			code = codeOf[899]!;
			bad.push({ row: rows.length + 1, code, reason: 'duplicate', duplicateOf: rowOf[899]! });
		}
		codeOf[index] = code;
		rowOf[index] = rows.length + 1;
		const half = Math.floor(population / 2);
		rows.push([
			options.numericCodes ? Number(code) : code,
			prefectureNames.get(prefecture)!,
			m.name!,
			half,
			population - half,
			population,
			Math.floor(population / 2.1)
		]);
		// A designated city's ward follows the city, as in the published table.
		if (m.code === '011002') rows.push(['011011', '北海道', '札幌市中央区', 1, 1, 2, 1]);
	});
	rows.push([], ['（注）この表は試験用の合成データです。']);
	return { rows, bad, municipalities: municipalities.length };
}

/** The table as CSV, in UTF-8 or in Shift_JIS as Japanese Excel saves it. */
export function tableCsv(rows: TableCell[][], encoding: 'utf-8' | 'shift_jis' = 'utf-8'): Uint8Array {
	const text = Papa.unparse(rows.map((r) => r.map((c) => c ?? '')));
	return encoding === 'utf-8' ? new TextEncoder().encode(text) : shiftJis(text);
}

let shiftJisTable: Map<string, number[]> | undefined;

/** Node has no Shift_JIS encoder: the bytes come from the WHATWG decoder's own table. */
function shiftJis(text: string): Uint8Array {
	if (!shiftJisTable) {
		const decoder = new TextDecoder('shift_jis');
		shiftJisTable = new Map();
		for (let lead = 0x81; lead <= 0xfc; lead++)
			for (let trail = 0x40; trail <= 0xfc; trail++)
				shiftJisTable.set(decoder.decode(new Uint8Array([lead, trail])), [lead, trail]);
	}
	const table = shiftJisTable;
	return new Uint8Array(
		[...text].flatMap((c) => {
			if (c.charCodeAt(0) < 0x80) return [c.charCodeAt(0)];
			const bytes = table.get(c);
			if (!bytes) throw new Error(`no Shift_JIS for ${c}`);
			return bytes;
		})
	);
}

export async function tableXlsx(rows: TableCell[][]): Promise<Uint8Array> {
	const blob = await writeXlsxFile(rows.map((r) => r.map((value) => (value === null ? null : { value })))).toBlob();
	return new Uint8Array(await blob.arrayBuffer());
}
