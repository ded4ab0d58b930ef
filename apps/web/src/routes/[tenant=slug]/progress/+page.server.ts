import { readProgressRollup } from '@mamori/services/rounds';
import { loading } from '$lib/server/errors';
import { tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'plan.read' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = ({ locals, url }) =>
	loading(locals, async () => {
		// A year that cannot be read shows the default year (the service decides which).
		const rollup = await readProgressRollup({
			ctx: tenantContext(locals),
			input: { fiscalYear: url.searchParams.get('year') ?? undefined }
		});
		return { rollup };
	});
