// Which published figures a viewer may read: an official reads their prefecture's cities, an
// operator any prefecture. Decided by the one authoriser with the prefecture as the target.
import { decide } from '@mamori/services/auth';
import { fields } from '@mamori/services/domain';
import { refuse } from './errors.ts';

export interface BenchmarkScope {
	prefectureCode: string;
	prefectures: { code: string; name: string }[];
}

/** The first prefecture by code (JIS X 0401: 北海道), which an operator sees first. */
const FIRST_PREFECTURE = '01';

/**
 * The prefecture asked (`?pref=`, else the viewer's first), refused with 403 unless the viewer
 * may read it, and `read` of it. An operator's list of prefectures is read beside `read`, in the
 * same round trip; should the asked code not be one of them, the answer is refused all the same.
 */
export async function benchmarkScope<T>(
	locals: App.Locals,
	url: URL,
	read: (scope: BenchmarkScope) => Promise<T>
): Promise<[BenchmarkScope, T]> {
	const principal = locals.principal;
	const forbidden = () => refuse(locals.locale, 403, 'error_forbidden', 'FORBIDDEN');
	const own = principal?.prefectures ?? [];
	const asked = url.searchParams.get('pref') ?? (principal?.isOperator ? FIRST_PREFECTURE : (own[0]?.code ?? ''));
	if (!decide(principal, 'benchmark.read', { prefectureCode: asked }).allowed) forbidden();
	if (!principal?.isOperator) {
		if (!own.some((p) => p.code === asked)) forbidden();
		const scope = { prefectureCode: asked, prefectures: own };
		return [scope, await read(scope)];
	}
	const scope: BenchmarkScope = { prefectureCode: asked, prefectures: [] };
	const [prefectures, result] = await Promise.all([
		locals.core.query.prefectures.findMany({
			columns: { code: true, name: true },
			orderBy: (p, { asc }) => asc(p.code)
		}),
		read(scope)
	]);
	if (!prefectures.some((p) => p.code === asked)) forbidden();
	scope.prefectures = prefectures;
	return [scope, result];
}

/** The year choice `?year=` names (a fiscal year, or `latest`), whether published or not; null: none. */
export function askedYear(url: URL): number | 'latest' | null {
	const text = url.searchParams.get('year');
	if (text === 'latest') return 'latest';
	const asked = fields.fiscalYearFromText.safeParse(text ?? undefined);
	return asked.success ? asked.data : null;
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
