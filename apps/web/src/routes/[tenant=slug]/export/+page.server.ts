import { EXPORT_SCHEMA_PATH } from '@mamori/services/export';
import type { PageAccess } from '$lib/server/access';
import { tenantOf } from '$lib/server/workspace';
import type { PageServerLoad } from './$types';

export const _access = { load: 'city.export' } satisfies PageAccess;

// Links and GET forms only, nothing that needs the app in the browser: the server renders it whole
// and no script is sent (JavaScript ≤ 35 KB a page; e2e/page-weight.test.ts).
export const csr = false;

export const load: PageServerLoad = ({ locals, url }) => ({
	city: tenantOf(locals).name,
	schemaUrl: new URL(EXPORT_SCHEMA_PATH, url).href
});
