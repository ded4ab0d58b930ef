import { describe, expect, it } from 'vitest';
import { calendarYearLabel, fiscalYearLabel, fiscalYearOf, parseFiscalYear, parseYearInput } from './fiscal-year.ts';

describe('fiscal years (年度)', () => {
	it('starts in April, in Tokyo time', () => {
		expect(fiscalYearOf(new Date('2020-03-31T14:59:59Z'))).toBe(2019); // 23:59 JST 31 March
		expect(fiscalYearOf(new Date('2020-03-31T15:00:00Z'))).toBe(2020); // 00:00 JST 1 April
		expect(fiscalYearOf(new Date('2024-12-31T00:00:00Z'))).toBe(2024);
	});

	it('labels with the era in use, 元 for year one, and the Gregorian year beside it', () => {
		expect(fiscalYearLabel(2019)).toBe('令和元年度（2019）');
		expect(fiscalYearLabel(2018)).toBe('平成30年度（2018）');
		expect(fiscalYearLabel(2024)).toBe('令和6年度（2024）');
		expect(fiscalYearLabel(2031)).toBe('令和13年度（2031）');
		expect(fiscalYearLabel(1989)).toBe('平成元年度（1989）');
		expect(fiscalYearLabel(1988)).toBe('昭和63年度（1988）');
		expect(fiscalYearLabel(2024, 'en')).toBe('FY2024');
		expect(calendarYearLabel(2020)).toBe('令和2年（2020）');
	});

	it('parses both names of FY2019, 元, full-width digits and abbreviations', () => {
		expect(parseFiscalYear('令和元年度')).toBe(2019);
		expect(parseFiscalYear('平成31年度')).toBe(2019);
		expect(parseFiscalYear('平成30年度')).toBe(2018);
		expect(parseFiscalYear('令和１３年度')).toBe(2031);
		expect(parseFiscalYear('R6年度')).toBe(2024);
		expect(parseFiscalYear('2024年度')).toBe(2024);
		expect(parseFiscalYear('13年度')).toBeNull(); // era omitted: the importer infers it from context
		expect(parseFiscalYear('令和6年')).toBeNull(); // a calendar year is not a fiscal year
	});

	it('reads a year field as staff type it', () => {
		const cases: [string, number | null][] = [
			['令和3', 2021],
			['R3', 2021],
			['r3', 2021],
			['令3', 2021],
			['令和３年度', 2021],
			['平成31', 2019],
			['H31', 2019],
			['平成31年度', 2019],
			['令和元年度', 2019],
			['元年', 2019],
			['2021', 2021],
			['２０２１', 2021],
			['2021年度', 2021],
			['FY2021', 2021],
			[' 3 ', 2021],
			['昭和63', 1988],
			['', null],
			['令和', null],
			['R0', null],
			['abc', null],
			['20211', null],
			['令和3.5', null]
		];
		for (const [input, year] of cases) expect(parseYearInput(input), input).toBe(year);
		expect(parseYearInput('平成31')).toBe(parseYearInput('令和元年'));
	});
});
