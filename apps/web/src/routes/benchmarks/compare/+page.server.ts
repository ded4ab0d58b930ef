import { compareView, publishedCities, publishedYears } from '@mamori/services/benchmarks';
import { benchmarkScope, yearChoiceParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'session' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const chosen = url.searchParams.getAll('city').filter((c) => /^\d{6}$/.test(c));
	const [scope, { years, fiscalYear, view, cities }] = await benchmarkScope(locals, url, async (scope) => {
		const years = await publishedYears({ core: locals.core, scope });
		const fiscalYear = yearChoiceParam(url, years);
		const [view, cities] =
			fiscalYear === null
				? [null, []]
				: await Promise.all([
						compareView({ core: locals.core, scope, fiscalYear, municipalityCodes: chosen }),
						// Every city that published any year can be chosen for "latest available".
						publishedCities({ core: locals.core, scope, fiscalYear: fiscalYear === 'latest' ? undefined : fiscalYear })
					]);
		return { years, fiscalYear, view, cities };
	});
	return { scope, years, fiscalYear, chosen, view, cities };
};
