// 全国地方公共団体コード: five digits and a check digit. With s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5,
// the check digit is (11 − s mod 11) mod 10 (so a remainder of 0 gives 1, and of 1 gives 0).
export function municipalityCheckDigit(firstFive: string): number {
	if (!/^\d{5}$/.test(firstFive)) throw new Error('five digits expected');
	const weights = [6, 5, 4, 3, 2];
	const sum = weights.reduce((acc, w, i) => acc + w * Number(firstFive[i]), 0);
	return (11 - (sum % 11)) % 10;
}

export function isValidMunicipalityCode(code: string): boolean {
	return /^\d{6}$/.test(code) && municipalityCheckDigit(code.slice(0, 5)) === Number(code[5]);
}
