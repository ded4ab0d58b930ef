import { describe, expect, it } from 'vitest';
import { glossaryParts, plainText } from './glossary.ts';

const terms = (text: string) => glossaryParts(text).flatMap((p) => (p.term ? [p.text] : []));

describe('glossary marks of the plan documents', () => {
	it("finds the term each of 目黒区's marks points to", () => {
		expect(terms('関連するSDGs*のゴールを踏まえ')).toEqual(['SDGs']);
		expect(terms('生活安全パトロール(青パト)*による区内巡回パトロール')).toEqual(['生活安全パトロール(青パト)']);
		expect(terms('区内巡回パトロール及びメールマガジン*等による')).toEqual(['メールマガジン']);
		expect(terms('目黒区のメールマガジン*に登録した方')).toEqual(['メールマガジン']);
		expect(terms('における「目黒区地域安全パトロール協力会*」の創設')).toEqual(['目黒区地域安全パトロール協力会']);
		expect(terms('パトロール活動「わんわんパトロール*」の周知')).toEqual(['わんわんパトロール']);
		expect(terms('ています。SNS*を利用した勧誘')).toEqual(['SNS']);
		expect(terms('とともに、見守りネットワーク*をはじめとした')).toEqual(['見守りネットワーク']);
		expect(terms('に貢献するエシカル消費*などの')).toEqual(['エシカル消費']);
		expect(terms('機能を強化し、ICT*の活用等')).toEqual(['ICT']);
	});

	it('keeps the text around the terms, without the marks', () => {
		expect(glossaryParts('SNS*とICT*の活用')).toEqual([
			{ text: 'SNS', term: true },
			{ text: 'と' },
			{ text: 'ICT', term: true },
			{ text: 'の活用' }
		]);
		expect(plainText('目黒区消費生活センターのメールマガジン*登録者数')).toBe(
			'目黒区消費生活センターのメールマガジン登録者数'
		);
	});

	it('leaves an asterisk that marks no term, and text without marks, as they are', () => {
		expect(plainText('3 * 4 = 12')).toBe('3 * 4 = 12');
		expect(plainText('*注記')).toBe('*注記');
		expect(glossaryParts('地域安全パトロール')).toEqual([{ text: '地域安全パトロール' }]);
		expect(glossaryParts('')).toEqual([]);
	});
});
