// The plan documents mark a term explained in their glossary (用語解説) with an asterisk right
// after it: 青パト*, 「わんわんパトロール*」, 見守りネットワーク*. The seeds keep the marks as printed;
// the app shows the term as a term instead. The glossary itself is not in the extracted text.

export type TextPart = { text: string; term?: false } | { text: string; term: true };

// Characters a term is written in: kanji, katakana (and its long-vowel mark), Latin letters and
// digits (half- and full-width), and the middle dot of compound terms.
const termChar = /[\p{Script=Han}\p{Script=Katakana}ー・A-Za-z0-9Ａ-Ｚａ-ｚ０-９々]/u;
const hiragana = /\p{Script=Hiragana}/u;
// Hiragana that joins two parts of a term (見守りネットワーク) is okurigana, never a particle.
const particles = new Set('のはがをにでとへやもびかるたしなてよ');
const closing: Record<string, string> = { ')': '(', '）': '（' };

/** Where the term that ends just before `end` starts, or `end` when there is none. */
function termStart(text: string, end: number): number {
	// 「わんわんパトロール*」: the whole quoted name.
	if (text[end + 1] === '」') {
		const open = text.lastIndexOf('「', end);
		if (open >= 0 && !text.slice(open + 1, end).includes('」')) return open + 1;
	}
	let start = end;
	// 生活安全パトロール(青パト)*: a reading or short name in brackets belongs to the term.
	const opener = closing[text[start - 1] ?? ''];
	if (opener) {
		const open = text.lastIndexOf(opener, start - 1);
		if (open < 0) return end;
		start = open;
	}
	while (start > 0) {
		const c = text[start - 1]!;
		if (termChar.test(c)) start--;
		else if (
			hiragana.test(c) &&
			!particles.has(c) &&
			start >= 2 &&
			/\p{Script=Han}/u.test(text[start - 2]!) &&
			termChar.test(text[start] ?? '')
		)
			start--;
		else break;
	}
	return start;
}

/** The text cut into plain runs and marked terms; an asterisk that follows no term stays as it is. */
export function glossaryParts(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let from = 0;
	for (let at = text.indexOf('*'); at >= 0; at = text.indexOf('*', at + 1)) {
		const start = Math.max(termStart(text, at), from);
		if (start === at) continue;
		if (start > from) parts.push({ text: text.slice(from, start) });
		parts.push({ text: text.slice(start, at), term: true });
		from = at + 1;
	}
	if (from < text.length) parts.push({ text: text.slice(from) });
	return parts;
}

/** The text without its glossary marks, for places that take no markup (a page title, a label). */
export function plainText(text: string): string {
	return glossaryParts(text)
		.map((p) => p.text)
		.join('');
}
