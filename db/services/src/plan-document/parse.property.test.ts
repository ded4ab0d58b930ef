// Random and malformed text fed to the document importer: never a crash, always a proposal (a
// tree, or a message located on a line), and every line it lists as unplaced is a real line of the
// input, quoted as printed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlanDocument } from './parse.ts';

const codes = new Set(['patrol', 'patrol.official', 'awareness', 'camera', 'fraud.special']);

// Pieces of the shapes the rules look for, so that random text reaches them.
const fragment = fc.constantFrom(
	'施策 1 ',
	'(1) ',
	'１　',
	'1 ',
	'ア ',
	'① ',
	'| ',
	' |',
	'|--|--|',
	'<br>',
	'【地域安全課】',
	'【主な取組】',
	'成果指標',
	'現状と課題',
	'関連計画',
	'施策の概要',
	'●',
	'・',
	'- ',
	'\t',
	'令和5年度',
	'平成30年度の取組み',
	'13年度',
	'13 年度',
	'令和5年度 とても長い見出しがここに続いて三十文字を超えるような行になる',
	'令和2(2020)年',
	'R1.7.1',
	'約350団体',
	'1,234件',
	'5回/年',
	'↑',
	'↓',
	'全団体整備',
	'担当課',
	'※施策番号',
	'「計画（令和２年度から令和６年度）」',
	'事業名：',
	'担当課：',
	'現状値（令和4年度）：',
	'目標値：',
	'市民生活部市民生活課',
	'(防犯･交通安全担当)',
	'ウ①②',
	'取組事業',
	'\n',
	'\n\n',
	'　'
);
const documentText = fc.oneof(
	fc.string({ maxLength: 400 }),
	fc.string({ unit: 'grapheme', maxLength: 300 }),
	fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 120 }).map((parts) => parts.join(''))
);

describe('the document importer under random input (fast-check)', () => {
	it('never crashes: a proposal with a tree or a located message, unplaced lines real', () => {
		fc.assert(
			fc.property(documentText, (text) => {
				const p = parsePlanDocument(text, codes);
				const lines = text.replace(/\r\n?/g, '\n').split('\n');
				expect(p.nodes.length > 0 || p.messages.length > 0).toBe(true);
				for (const m of p.messages) expect(m.line).toBeGreaterThanOrEqual(1);
				for (const u of p.unplaced) {
					expect(u.line).toBeGreaterThanOrEqual(1);
					expect(u.line).toBeLessThanOrEqual(lines.length);
					expect(lines[u.line - 1]!.trim().slice(0, 500)).toBe(u.text);
				}
				expect(() => JSON.stringify(p)).not.toThrow();
			}),
			{ numRuns: 400 }
		);
	});
});
