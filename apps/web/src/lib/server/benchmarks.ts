// Which published figures a viewer may read: an official reads their prefecture's cities, an
// operator any prefecture. Decided by the one authoriser with the prefecture as the target.
import { decide } from '@mamori/services/auth';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

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
		error(403, { message: m.error_forbidden({}, { locale: locals.locale }), code: 'FORBIDDEN' });
	return { prefectureCode: asked, prefectures };
}

export function yearParam(url: URL, years: number[]): number | null {
	const asked = Number(url.searchParams.get('year'));
	return years.includes(asked) ? asked : (years[0] ?? null);
}
