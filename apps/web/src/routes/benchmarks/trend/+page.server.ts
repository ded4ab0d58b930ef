import { trendView } from '@mamori/services/benchmarks';
import { benchmarkScope, indicatorParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'session' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const indicatorCode = indicatorParam(url);
	const [scope, view] = await benchmarkScope(locals, url, (scope) =>
		trendView({ core: locals.core, scope, indicatorCode })
	);
	return { scope, indicatorCode, view };
};
