import { EXPORT_SCHEMA_PATH } from '@mamori/services/export';
import type { PageAccess } from '$lib/server/access';
import { tenantOf } from '$lib/server/workspace';
import type { PageServerLoad } from './$types';

export const _access = { load: 'city.export' } satisfies PageAccess;

export const load: PageServerLoad = ({ locals, url }) => ({
	city: tenantOf(locals).name,
	schemaUrl: new URL(EXPORT_SCHEMA_PATH, url).href
});
