import { indicatorView, publishedYears } from '@mamori/services/benchmarks';
import { benchmarkScope, yearChoiceParam, indicatorParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

// Signed-in users reach the page; the load asks the authoriser for the prefecture itself.
export const _access = { load: 'session' } satisfies PageAccess;

export const load: PageServerLoad = async ({ locals, url }) => {
	const scope = await benchmarkScope(locals, url);
	const years = await publishedYears({ core: locals.core, scope });
	const fiscalYear = yearChoiceParam(url, years);
	const indicatorCode = indicatorParam(url);
	const view =
		fiscalYear === null ? null : await indicatorView({ core: locals.core, scope, fiscalYear, indicatorCode });
	return { scope, years, fiscalYear, indicatorCode, view };
};
