// Numbers with a unit in a sentence, structured (the values pass): 「パトロール回数 472回」 → 472 回.
// Deterministic rules, each general (they name the Japanese wording, never a city):
//   - a counter word follows the number (台, 回, 件, 人, 団体 …, longest first), or 「の」 and one
//     (市内11の事業者等 → 11 事業者等);
//   - not a metric: years and dates (令和3年8月, H30.8.15, (7、11月), 11月12日), ordinals (第1,
//     北第1), grades and ages (6年生, 65歳), names (110番), conditions (10ｍ以上, 1,000㎡以上,
//     6ヶ月に1回, 5カ年), positions (左右２か所), and references back to a number already given
//     (上記3社, 7回のうち);
//   - rates: 週1回 → 回/週, 月に1回 → 回/月, 5回/年 → 回/年 (年6回 stays 回: a year's count);
//   - 約 or 程度 marks it approximate, 累計 cumulative.
import { yearsIn } from './years.ts';

export interface FoundNumber {
	label: string;
	value: number;
	unit: string;
	approximate?: true;
	cumulative?: true;
	/** Offset in the text. */
	at: number;
}

const UNITS = [
	'事業者等',
	'事業者',
	'セット',
	'ヶ所',
	'か所',
	'カ所',
	'箇所',
	'ケ所',
	'団体',
	'世帯',
	'施設',
	'時間',
	'km',
	'ｋｍ',
	'%',
	'％',
	'台',
	'回',
	'個',
	'社',
	'件',
	'校',
	'園',
	'人',
	'名',
	'組',
	'点',
	'枚',
	'局',
	'本',
	'基',
	'灯',
	'冊',
	'戸',
	'店',
	'館',
	'円'
];
const NUMBER = /(約\s*)?([0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)/g;
const CONDITION = /^\s*(以上|未満|以下|超|を超え)/;

function dateSpans(text: string): [number, number][] {
	const spans: [number, number][] = yearsIn(text).map((y) => [y.start, y.end]);
	const patterns = [
		/[0-9０-９]{1,2}\s*[.．/／]\s*[0-9０-９]{1,2}\s*[.．/／]\s*[0-9０-９]{1,2}/g, // H30.8.15
		/(?:[0-9０-９]{1,2}\s*[、，,・]\s*)*[0-9０-９]{1,2}\s*月/g, // 7月, (5、8、11、2月)
		/[0-9０-９]{1,2}\s*日/g,
		/[0-9０-９]+\s*(?:年生|歳|番|階|号|ヶ月|か月|カ月|ケ月|カ年|ヶ年|か年)/g,
		/第\s*[0-9０-９]+/g,
		/[RHSＲＨＳ][0-9０-９]{1,2}/g
	];
	for (const p of patterns) for (const m of text.matchAll(p)) spans.push([m.index, m.index + m[0].length]);
	return spans;
}

const toNumber = (s: string) => Number(s.normalize('NFKC').replace(/,/g, ''));

/** The words before a number, up to the previous clause boundary: what the figure counts. */
function labelBefore(text: string, at: number): string {
	const head = text.slice(0, at);
	const cut = Math.max(...['、', '。', '・', '\n', '（', '(', '，', '/', '：', '】'].map((d) => head.lastIndexOf(d)));
	const label = head
		.slice(cut + 1)
		.replace(/(約|累計|全|上記|市内)\s*$/, '')
		.replace(/^[\s\u3000]+|[\s\u3000をにはがでと]+$/g, '');
	return label || head.trim().slice(-20) || '数値';
}

export function numbersIn(text: string): FoundNumber[] {
	const out: FoundNumber[] = [];
	const excluded = dateSpans(text);
	for (const m of text.matchAll(NUMBER)) {
		const numStart = m.index + (m[1]?.length ?? 0);
		const numEnd = m.index + m[0].length;
		if (excluded.some(([s, e]) => numStart < e && numEnd > s)) continue;
		const before = text.slice(Math.max(0, numStart - 4), numStart);
		if (/上記\s*$|左右\s*$|前後\s*$|上下\s*$/.test(before)) continue;
		if (/[ヶかカケ]月に\s*$/.test(text.slice(Math.max(0, numStart - 5), numStart))) continue;
		if (/[A-Za-zＡ-Ｚａ-ｚ.．-]$/.test(text.slice(0, numStart))) continue;
		let rest = text.slice(numEnd);
		let viaNo = false;
		if (/^の/.test(rest)) {
			rest = rest.slice(1);
			viaNo = true;
		}
		let unit = UNITS.find((u) => rest.startsWith(u));
		if (!unit) continue;
		if (viaNo && !['事業者等', '事業者', '団体', '施設', '世帯'].includes(unit)) continue;
		const after = rest.slice(unit.length);
		if (CONDITION.test(after)) continue;
		if (/^\s*のうち/.test(after)) continue;
		if (unit === '回') {
			if (/^\s*[/／]\s*年/.test(after)) unit = '回/年';
			else if (/週\s*$/.test(before)) unit = '回/週';
			else if (/(?<![0-9０-９])月に?\s*$/.test(before)) unit = '回/月';
		}
		if (unit === '％') unit = '%';
		if (unit === 'ｋｍ') unit = 'km';
		const value = toNumber(m[2]!);
		if (!Number.isFinite(value)) continue;
		const approximate = Boolean(m[1]) || /^\s*程度/.test(after);
		const cumulative = /累計\s*$/.test(text.slice(Math.max(0, numStart - 4), numStart));
		out.push({
			label: labelBefore(text, m.index),
			value,
			unit,
			...(approximate ? { approximate: true as const } : {}),
			...(cumulative ? { cumulative: true as const } : {}),
			at: numStart
		});
	}
	return out;
}

/** A cell like 9,000人, 5回/年, 全団体整備: its number and unit, or only its words. */
export function valueCell(cell: string): { value?: number; unit?: string; text: string } {
	const text = cell.trim();
	const m = /^(約)?\s*([0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*(.*)$/.exec(text.normalize('NFKC'));
	if (!m) return { text };
	const unit = m[3]!.replace(/[（(].*$/, '').trim();
	return { value: toNumber(m[2]!), ...(unit ? { unit } : {}), text };
}
