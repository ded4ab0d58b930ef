import { readYearlyReport } from '@mamori/services/report';
import type { PageAccess } from '$lib/server/access';
import { loading } from '$lib/server/errors';
import { tenantContext } from '$lib/server/workspace';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const { tenant } = await parent();
	if (tenant.status === 'suspended') return { report: null, generatedAt: Date.now() };
	const fiscalYear = url.searchParams.get('year') ?? undefined;
	return loading(locals, async () => ({
		report: await readYearlyReport({ ctx: tenantContext(locals), input: { fiscalYear } }),
		generatedAt: Date.now()
	}));
};
