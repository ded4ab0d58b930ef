// 年度 (fiscal year) is stored as the Gregorian year in which it starts: April to March.
// Labels come from Intl's Japanese calendar with the Tokyo time zone (without it, a UTC machine
// puts early-morning dates in the wrong day and 2019-05-01 in 平成).

export function fiscalYearOf(date: Date): number {
	const tokyo = new Date(date.getTime() + 9 * 3600_000); // Asia/Tokyo has no DST
	const year = tokyo.getUTCFullYear();
	return tokyo.getUTCMonth() < 3 ? year - 1 : year;
}

const eraFormat = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
	era: 'long',
	year: 'numeric',
	timeZone: 'Asia/Tokyo'
});

// Intl writes the first year of an era as 元.
function yearNumber(value: string | undefined): number {
	return value === '元' ? 1 : Number(value);
}

function eraOf(date: Date): { era: string; year: number } {
	const parts = eraFormat.formatToParts(date);
	return {
		era: parts.find((p) => p.type === 'era')?.value ?? '',
		year: yearNumber(parts.find((p) => p.type === 'year')?.value)
	};
}

/**
 * The era year that names a fiscal year: the one in force on 1 May of its first year. That gives
 * the names in use: FY2019 is 令和元年度 (Reiwa began on 1 May 2019), FY1989 平成元年度, FY1988 昭和63年度.
 */
export function eraYear(fiscalYear: number): { era: string; year: number } {
	return eraOf(new Date(Date.UTC(fiscalYear, 4, 1, 3)));
}

/** 令和6年度（2024）, 令和元年度（2019）; English: FY2024. */
export function fiscalYearLabel(fiscalYear: number, locale: 'ja' | 'en' = 'ja'): string {
	if (locale === 'en') return `FY${fiscalYear}`;
	const { era, year } = eraYear(fiscalYear);
	return `${era}${year === 1 ? '元' : year}年度（${fiscalYear}）`;
}

/** 令和2年（2020） for calendar-year values such as police crime counts. */
export function calendarYearLabel(year: number, locale: 'ja' | 'en' = 'ja'): string {
	if (locale === 'en') return String(year);
	// The era at the end of the year: 2019 is 令和元年 (the usual label for that whole year).
	const { era, year: y } = eraOf(new Date(Date.UTC(year, 11, 31, 3)));
	return `${era}${y === 1 ? '元' : y}年（${year}）`;
}

const ERA_START: Record<string, number> = { 令和: 2019, 平成: 1989, 昭和: 1926, R: 2019, H: 1989, S: 1926 };

/**
 * Parses a fiscal year written in Japanese: 令和元年度, 平成31年度, 令和6年度, R6年度, 2024年度.
 * FY2019 is both 平成31年度 and 令和元年度. Returns null when the text is not a fiscal year.
 */
export function parseFiscalYear(text: string): number | null {
	const normalised = text.normalize('NFKC').replace(/\s/g, '');
	const gregorian = /^(\d{4})年度$/.exec(normalised);
	if (gregorian) return Number(gregorian[1]);
	const era = /^(令和|平成|昭和|R|H|S)(元|\d{1,2})年度$/.exec(normalised);
	if (!era) return null;
	const year = era[2] === '元' ? 1 : Number(era[2]);
	return ERA_START[era[1]!]! + year - 1;
}

const ERA_ALIASES: [RegExp, number][] = [
	[/^(令和|令|r)/, 2019],
	[/^(平成|平|h)/, 1989],
	[/^(昭和|昭|s)/, 1926]
];

/**
 * Reads a year as staff type it into a year field: 令和3, R3, 令3, r3年度, 平成31, H31, 元年, 2021,
 * 2021年度, FY2021, full-width digits. An era year without an era (3, 元年) is read in 令和, the
 * era in force. Returns the Gregorian year (for a 年度, the year in which it starts), or null.
 * The field shows what it understood (fiscalYearLabel) so that a misreading is seen before saving.
 */
export function parseYearInput(text: string): number | null {
	let rest = text.normalize('NFKC').replace(/\s/g, '').toLowerCase();
	rest = rest.replace(/^fy/, '').replace(/(年度|年)$/, '');
	if (/^\d{4}$/.test(rest)) return Number(rest);
	let start = 2019;
	for (const [pattern, first] of ERA_ALIASES) {
		if (pattern.test(rest)) {
			start = first;
			rest = rest.replace(pattern, '');
			break;
		}
	}
	if (rest === '元') return start;
	if (!/^\d{1,2}$/.test(rest) || Number(rest) < 1) return null;
	return start + Number(rest) - 1;
}
