import { trendView } from '@mamori/services/benchmarks';
import { benchmarkScope, indicatorParam } from '$lib/server/benchmarks';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'session' } satisfies PageAccess;

export const load: PageServerLoad = async ({ locals, url }) => {
	const scope = await benchmarkScope(locals, url);
	const indicatorCode = indicatorParam(url);
	return { scope, indicatorCode, view: await trendView({ core: locals.core, scope, indicatorCode }) };
};
