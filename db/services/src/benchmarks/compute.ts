// Benchmark arithmetic: normalisation per population, ranks, the median, and progress toward a
// city's own target. Pure functions, so the numbers on every view are computed one way.

export type Normalisation = 'absolute' | 'per_10k_population' | 'per_1k_population';
export type Direction = 'higher' | 'lower' | 'neutral';

export function normalise(value: number, normalisation: Normalisation, population: number | null): number | null {
	if (normalisation === 'absolute') return value;
	if (!population || population <= 0) return null;
	return (value / population) * (normalisation === 'per_10k_population' ? 10_000 : 1_000);
}

/**
 * A value as the views and the CSV show it: normalised figures to two decimals, shares (progress)
 * as whole percents. The raw value stays available beside it (the CSV's raw columns).
 */
export function rounded(value: number | null, digits = 2): number | null {
	if (value === null) return null;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Competition ranks (1, 2, 2, 4) with the best first: highest first when higher is better,
 * lowest first when lower is better; no ranks for a neutral indicator.
 */
export function ranks(values: (number | null)[], direction: Direction): (number | null)[] {
	if (direction === 'neutral') return values.map(() => null);
	const better = (a: number, b: number) => (direction === 'higher' ? a > b : a < b);
	return values.map((v) => (v === null ? null : 1 + values.filter((o) => o !== null && better(o, v)).length));
}

/** Share of the way from baseline to target (1 = reached), in the right direction; null without both. */
export function progress(baseline: number | null, target: number | null, value: number | null): number | null {
	if (value === null || baseline === null || target === null) return null;
	const span = target - baseline;
	if (span === 0) return value === target ? 1 : 0;
	return (value - baseline) / span;
}
