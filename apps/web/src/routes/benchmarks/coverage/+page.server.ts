import { coverageView, publishedYears } from '@mamori/services/benchmarks';
import { benchmarkScope, taxonomyParam, yearParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'session' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const [scope, { years, fiscalYear, view }] = await benchmarkScope(locals, url, async (scope) => {
		const years = await publishedYears({ core: locals.core, scope });
		const fiscalYear = yearParam(url, years);
		const view =
			fiscalYear === null
				? null
				: await coverageView({ core: locals.core, scope, fiscalYear, taxonomyVersion: taxonomyParam(url) });
		return { years, fiscalYear, view };
	});
	return {
		taxonomyVersion: view?.taxonomyVersion ?? null,
		taxonomyVersions: view?.taxonomyVersions ?? [],
		scope,
		years,
		fiscalYear,
		cities: view?.cities ?? [],
		categories: view?.categories ?? [],
		cells: view?.cells ?? {}
	};
};
