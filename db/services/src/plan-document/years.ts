// Years as documents print them: 令和元年度, 平成30年度, 令和2(2020)年, R1.7.1, 2024年度, and an
// era-less 13年度 read in the era the document uses (marked inferred). 年度 is a fiscal year
// (stored as the Gregorian year it starts in), 年 a calendar year; both are kept apart.

export type PeriodKind = 'fiscal_year' | 'calendar_year';
export interface Period {
	kind: PeriodKind;
	year: number;
	/** The document did not print the era (13年度) or the year at all: it was inferred. */
	inferred?: true;
}

export interface YearMention extends Period {
	/** Offsets in the text searched (its NFKC form has the same length for these patterns? no: offsets are of the input). */
	start: number;
	end: number;
	/** The year is followed by 末 (令和13年度末). */
	end_of?: true;
	text: string;
}

const ERA: Record<string, number> = { 令和: 2019, 平成: 1989, 昭和: 1926, R: 2019, H: 1989, S: 1926 };
const DIGITS = '0-9０-９';
const num = (s: string) => (s === '元' ? 1 : Number(s.normalize('NFKC')));

// 令和2(2020)年度, 令和元年度, 平成30年3月, R1.7.1, H27～, 2024年度, 2024年, 13年度 (era-less).
const YEAR = new RegExp(
	[
		`(令和|平成|昭和)\\s*(元|[${DIGITS}]{1,2})\\s*(?:[（(]\\s*([${DIGITS}]{4})\\s*[)）])?\\s*(年度|年)?`,
		`(?<![A-Za-zＡ-Ｚａ-ｚ])([RHSＲＨＳ])\\s*(元|[${DIGITS}]{1,2})(?=[.．年～~〜]|\\s*年度)(年度|年)?`,
		`(?<![${DIGITS}])([${DIGITS}]{4})\\s*(年度|年)`,
		`(?<![${DIGITS}.,，])([${DIGITS}]{1,2})\\s*(年度)`
	].join('|'),
	'g'
);

/** The era a document writes its years in (the most frequent), for years printed without one. */
export function documentEra(text: string): number {
	const counts = new Map<number, number>();
	for (const m of text.matchAll(/(令和|平成|昭和)|(?<![A-Za-z])([RH])(?=[0-9０-９]{1,2}[.．年])/g)) {
		const start = ERA[m[1] ?? m[2]!]!;
		counts.set(start, (counts.get(start) ?? 0) + 1);
	}
	let best = 2019;
	let most = 0;
	for (const [start, n] of counts) if (n > most) [best, most] = [start, n];
	return best;
}

/** Every year mentioned in `text`, in order. `eraStart` reads an era-less year (13年度). */
export function yearsIn(text: string, eraStart = 2019): YearMention[] {
	const out: YearMention[] = [];
	for (const m of text.matchAll(YEAR)) {
		const start = m.index;
		const end = start + m[0].length;
		const endOf = text[end] === '末' ? { end_of: true as const } : {};
		if (m[1]) {
			const year = m[3] ? num(m[3]) : ERA[m[1]]! + num(m[2]!) - 1;
			const kind: PeriodKind = m[4] === '年度' ? 'fiscal_year' : 'calendar_year';
			out.push({ kind, year, start, end, text: m[0], ...endOf });
		} else if (m[5]) {
			const era = ERA[m[5].normalize('NFKC')]!;
			out.push({
				kind: m[7] === '年度' ? 'fiscal_year' : 'calendar_year',
				year: era + num(m[6]!) - 1,
				start,
				end,
				text: m[0],
				...endOf
			});
		} else if (m[8]) {
			out.push({
				kind: m[9] === '年度' ? 'fiscal_year' : 'calendar_year',
				year: num(m[8]),
				start,
				end,
				text: m[0],
				...endOf
			});
		} else if (m[10]) {
			out.push({
				kind: 'fiscal_year',
				year: eraStart + num(m[10]) - 1,
				inferred: true,
				start,
				end,
				text: m[0],
				...endOf
			});
		}
	}
	return out;
}

/** "令和5年度 事業概要" → "{year} 事業概要": a heading with its year as a placeholder. */
export function withYearPlaceholder(text: string, mention: YearMention): string {
	return (text.slice(0, mention.start) + '{year}' + text.slice(mention.end)).replace(/[\s\u3000]+/g, ' ').trim();
}
