import { indicatorView } from '@mamori/services/benchmarks';
import { askedYear, benchmarkScope, yearChoiceParam, indicatorParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

// Signed-in users reach the page; the load asks the authoriser for the prefecture itself.
export const _access = { load: 'session' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

// One round trip after the session: the view of the year asked (or of the newest published) says
// which years there are; only a link to a year that is not published asks again, for the newest.
export const load: PageServerLoad = async ({ locals, url }) => {
	const indicatorCode = indicatorParam(url);
	const asked = askedYear(url);
	const [scope, view] = await benchmarkScope(locals, url, async (scope) => {
		const first = await indicatorView({ core: locals.core, scope, fiscalYear: asked ?? 'newest', indicatorCode });
		const chosen = yearChoiceParam(url, first.years);
		if (chosen === null) return null;
		if (chosen === first.fiscalYear) return first;
		return indicatorView({ core: locals.core, scope, fiscalYear: chosen, indicatorCode });
	});
	return { scope, years: view?.years ?? [], fiscalYear: view?.fiscalYear ?? null, indicatorCode, view };
};
