import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../seed/seed-files.ts';
import { isValidMunicipalityCode, municipalityCheckDigit } from './municipality-code.ts';

describe('全国地方公共団体コード check digit', () => {
	it.each([
		['131105', '目黒区'],
		['132101', '小金井市'],
		['012131', '苫小牧市 (remainder 0 gives 1)'],
		['012050', 'remainder 1 gives 0']
	])('%s (%s) is valid', (code) => expect(isValidMunicipalityCode(code)).toBe(true));

	it.each(['131106', '13110', '1311050', 'abcdef', '', '１３１１０５'])('%s is refused', (code) =>
		expect(isValidMunicipalityCode(code)).toBe(false)
	);

	it('computes the digit from the first five', () => expect(municipalityCheckDigit('13110')).toBe(5));

	it('verifies every one of the 1,741 codes in the municipality master', () => {
		const rows = readCsv(fileURLToPath(new URL('../../../../seeds/municipalities.csv', import.meta.url)));
		expect(rows).toHaveLength(1741);
		expect(rows.filter((r) => !isValidMunicipalityCode(r.code!))).toEqual([]);
	});
});
