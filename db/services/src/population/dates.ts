// The reference date of a population figure: read from a table's title or typed by an operator
// (令和6年1月1日, R6.1.1, 2024年1月1日, 2024-01-01), stored as an ISO date (the web app shows it in
// 和暦 with japaneseDate).

const ERA_START: Record<string, number> = { 令和: 2019, 平成: 1989, R: 2019, H: 1989 };

function isoDate(year: number, month: number, day: number): string | null {
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
	return date.toISOString().slice(0, 10);
}

/** The first date written in `text` (a title row or a field), as an ISO date, or null. */
export function findReferenceDate(text: string): string | null {
	const t = text.normalize('NFKC').replace(/\s/g, '');
	const era = /(令和|平成|R|H)(元|\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?/i.exec(t);
	if (era) {
		const year = ERA_START[era[1]!.length === 1 ? era[1]!.toUpperCase() : era[1]!]!;
		return isoDate(year + (era[2] === '元' ? 1 : Number(era[2])) - 1, Number(era[3]), Number(era[4]));
	}
	const western = /(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})日?/.exec(t);
	return western ? isoDate(Number(western[1]), Number(western[2]), Number(western[3])) : null;
}
