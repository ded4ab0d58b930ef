// How the benchmark views word a normalisation and a year choice, the same on every view.
import { fiscalYearLabel } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

/** Per how many residents a normalised value is: 人口1万人あたり, 人口千人あたり, or 実数. */
export function perPopulation(normalisation: string | null | undefined, options?: { locale: Locale }): string {
	return normalisation === 'per_10k_population'
		? m.bench_per_10k({}, options)
		: normalisation === 'per_1k_population'
			? m.bench_per_1k({}, options)
			: m.bench_absolute({}, options);
}

/** A fiscal year, or "each city's latest published year". */
export function yearChoiceLabel(year: number | 'latest', locale: Locale): string {
	return year === 'latest' ? m.bench_year_latest() : fiscalYearLabel(year, locale);
}
