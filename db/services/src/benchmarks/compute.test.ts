import { describe, expect, it } from 'vitest';
import { csvText } from '../sheets/write.ts';
import { median, normalise, progress, ranks } from './compute.ts';

describe('benchmark arithmetic', () => {
	it('normalises per 10,000 and per 1,000 residents', () => {
		expect(normalise(9000, 'per_10k_population', 281_400)).toBeCloseTo(319.8294, 4);
		expect(normalise(429, 'per_1k_population', 281_400)).toBeCloseTo(1.5245, 4);
		expect(normalise(15, 'absolute', null)).toBe(15);
		expect(normalise(15, 'per_10k_population', null)).toBeNull(); // no population, no per-capita figure
	});

	it('takes the median of odd and even counts', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNull();
	});

	it('ranks best first, ties sharing a rank, in the indicator direction', () => {
		expect(ranks([10, 30, 20, 30], 'higher')).toEqual([4, 1, 3, 1]);
		expect(ranks([10, 30, null, 20], 'lower')).toEqual([1, 3, null, 2]);
		expect(ranks([1, 2], 'neutral')).toEqual([null, null]);
	});

	it('measures progress toward a target whichever way is better', () => {
		expect(progress(9000, 15000, 12000)).toBe(0.5); // more subscribers is better
		expect(progress(429, 200, 315)).toBeCloseTo(0.4978, 4); // fewer bicycle thefts is better
		expect(progress(429, 200, 500)).toBeLessThan(0); // worse than the baseline
		expect(progress(null, 200, 300)).toBeNull();
	});

	it('writes CSV that Excel opens in UTF-8', () => {
		const csv = csvText([
			['自治体', '値'],
			['目黒区', 1234.5],
			['"引用",あり', null]
		]);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv).toBe('\uFEFF自治体,値\r\n目黒区,1234.5\r\n"""引用"",あり",\r\n');
		// For files anyone opens: text that would start a formula is quoted; numbers stay numbers.
		expect(csvText([['=HYPERLINK("x")', -0.25, '@SUM(A1)']], { escapeFormulae: true })).toBe(
			`\uFEFF"'=HYPERLINK(""x"")",-0.25,"'@SUM(A1)"\r\n`
		);
	});
});
