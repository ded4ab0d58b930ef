// Pass 1, line classification: every line of the text gets a kind, from its own shape only.
// Headings carry a numbering family (half-width 1, full-width １, (1), ア, ①, a labelled 施策 1);
// the structure pass gives each family a level in order of first appearance.

export type LineKind =
	'blank' | 'tableRow' | 'tableRule' | 'heading' | 'label' | 'bullet' | 'tabbed' | 'keyValue' | 'text';

export interface Line {
	no: number;
	raw: string;
	/** The text without Markdown emphasis and outer spaces (verbatim otherwise). */
	text: string;
	kind: LineKind;
	/** heading: the numbering family, the code as printed and the title after it. */
	family?: string;
	code?: string;
	title?: string;
	/** heading with a level word (施策 1): that word. */
	levelWord?: string;
	/** bullet: the marker (-, ・, ●). */
	marker?: string;
	/** label: the section it opens. */
	section?: Section;
	key?: string;
	value?: string;
}

export type Section = 'summary' | 'kpi' | 'current' | 'initiatives' | 'related' | 'skip';

const LABELS: [RegExp, Section][] = [
	[/^(施策|事業|取組)?の?概要$/, 'summary'],
	[/^(成果指標|数値目標|目標指標|活動指標|指標)$/, 'kpi'],
	[/^現状と課題$|^現状$|^課題$/, 'current'],
	[/^【?(主な取組み?|主な取り組み|主要な取組|具体的な取組|取組内容)】?$/, 'initiatives'],
	[/^関連計画$|^関連する計画$/, 'related'],
	[/^関連するSDGsのゴール$|^SDGs$/, 'skip']
];

const KEYS =
	/^(事務事業名|事業名|取組名|施策名|担当課|所管課|担当部署|所管部署|担当|事業の目的|目的|事業の概要|事業概要|事業内容|内容|成果指標|活動指標|指標名?|現状値|基準値|目標値|評価|総合評価|今後の方向性|課題|(?:.{0,12}年度)?(?:の)?(?:実績|取組実績|予定|計画))(?:[（(][^)）]*[)）])?\s*[：:]\s*(.*)$/;

const stripEmphasis = (s: string) => s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/__(.+?)__/g, '$1');

export function classify(text: string): Line[] {
	const rows = text.replace(/\r\n?/g, '\n').split('\n');
	return rows.map((raw, i) => line(raw, i + 1));
}

function line(raw: string, no: number): Line {
	const text = stripEmphasis(raw).replace(/^[ \t]+|[ \t]+$/g, '');
	const base = { no, raw, text };
	const bare = text.replace(/^\u3000+/, '');
	if (bare === '') return { ...base, kind: 'blank' };
	if (/^\|.*\|?$/.test(text)) {
		if (/^\|[\s|:-]+\|?$/.test(text) && text.includes('-')) return { ...base, kind: 'tableRule' };
		return { ...base, kind: 'tableRow' };
	}
	const labelText = bare.replace(/^#+\s*/, '');
	for (const [re, section] of LABELS) if (re.test(labelText)) return { ...base, kind: 'label', section };
	const kv = KEYS.exec(bare);
	if (kv) return { ...base, kind: 'keyValue', key: kv[1]!, value: kv[2]!.trim() };
	if (raw.includes('\t')) return { ...base, kind: 'tabbed' };
	const bullet = /^([-*+・●○◆◇■□▪•])\s*(.+)$/.exec(bare);
	if (bullet) return { ...base, kind: 'bullet', marker: bullet[1]!, title: bullet[2]!.trim() };
	const heading = headingOf(bare, raw);
	if (heading) return { ...base, kind: 'heading', ...heading };
	return { ...base, kind: 'text' };
}

/** "施策 1 title", "第2章 title", "１ title", "1 title", "(1) title", "ア title", "① title", "# title". */
export function headingOf(
	bare: string,
	raw = bare
): { family: string; code: string; title: string; levelWord?: string } | null {
	const md = /^(#{1,6})\s+(.+)$/.exec(bare);
	if (md) {
		const inner = headingOf(md[2]!.trim());
		return inner && inner.title ? inner : { family: `#${md[1]!.length}`, code: '', title: md[2]!.trim() };
	}
	const worded =
		/^(施策|基本目標|基本方針|基本施策|重点施策|目標|分野|方針|柱)\s*([0-9０-９]+)\s*[.．、:：]?\s*(.*)$/.exec(bare);
	if (worded) return { family: `word:${worded[1]}`, code: worded[2]!, title: worded[3]!.trim(), levelWord: worded[1]! };
	const chapter = /^第\s*([0-9０-９一二三四五六七八九十]+)\s*(章|節)\s*(.*)$/.exec(bare);
	if (chapter)
		return {
			family: `chapter:${chapter[2]}`,
			code: `第${chapter[1]}${chapter[2]}`,
			title: chapter[3]!.trim(),
			levelWord: chapter[2]!
		};
	const paren = /^([(（]\s*[0-9０-９]{1,2}\s*[)）])\s*(.*)$/.exec(bare);
	if (paren) return { family: 'paren', code: paren[1]!, title: paren[2]!.trim() };
	const full = /^([０-９]{1,2})[\s\u3000]+(.+)$/.exec(bare);
	if (full) return { family: 'full', code: full[1]!, title: full[2]!.trim() };
	const half = /^([0-9]{1,2})(?:[.．]\s*|\s+|$)(.*)$/.exec(bare);
	if (half && !/^[0-9]{1,2}[.．][0-9]/.test(bare)) return { family: 'half', code: half[1]!, title: half[2]!.trim() };
	const kana = /^([ア-ン])[\s\u3000.．、]+(.+)$/.exec(bare);
	if (kana) return { family: 'kana', code: kana[1]!, title: kana[2]!.trim() };
	const circled = /^([①-⑳])\s*(.+)$/.exec(bare);
	if (circled) return { family: 'circled', code: circled[1]!, title: circled[2]!.trim() };
	void raw;
	return null;
}
