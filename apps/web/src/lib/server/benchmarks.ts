// Which published figures a viewer may read: an official reads their prefecture's cities, an
// operator any prefecture. Decided by the one authoriser with the prefecture as the target.
import { decide } from '@mamori/services/auth';
import { fields } from '@mamori/services/domain';
import { refuse } from './errors.ts';

export interface BenchmarkScope {
	prefectureCode: string;
	prefectures: { code: string; name: string }[];
}

export async function benchmarkScope(locals: App.Locals, url: URL): Promise<BenchmarkScope> {
	const principal = locals.principal;
	const prefectures = principal?.isOperator
		? await locals.core.query.prefectures.findMany({
				columns: { code: true, name: true },
				orderBy: (p, { asc }) => asc(p.code)
			})
		: (principal?.prefectures ?? []);
	const asked = url.searchParams.get('pref') ?? prefectures[0]?.code ?? '';
	const decision = decide(principal, 'benchmark.read', { prefectureCode: asked });
	if (!decision.allowed || !prefectures.some((p) => p.code === asked))
		refuse(locals.locale, 403, 'error_forbidden', 'FORBIDDEN');
	return { prefectureCode: asked, prefectures };
}

/** The asked `?year=` when it is one of `years`, else the first of them. */
export function yearParam(url: URL, years: number[]): number | null {
	const asked = fields.fiscalYearFromText.safeParse(url.searchParams.get('year') ?? undefined);
	return asked.success && years.includes(asked.data) ? asked.data : (years[0] ?? null);
}

/** The asked `?taxonomy=` version of a view by category; null: the newest with data. */
export function taxonomyParam(url: URL): number | null {
	const asked = Number(url.searchParams.get('taxonomy'));
	return Number.isInteger(asked) && asked > 0 ? asked : null;
}

/** `?year=latest` (each city's most recent published year) while any year is published, else as yearParam. */
export function yearChoiceParam(url: URL, years: number[]): number | 'latest' | null {
	return url.searchParams.get('year') === 'latest' && years.length > 0 ? 'latest' : yearParam(url, years);
}

/** The indicator a benchmark view shows first. */
export const DEFAULT_INDICATOR = 'alert_mail_subscribers';

export function indicatorParam(url: URL): string {
	return url.searchParams.get('indicator') ?? DEFAULT_INDICATOR;
}
