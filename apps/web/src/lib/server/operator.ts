// Wiring for the operator console: the tenant directory and each city's database, both taken
// from the platform's environment, so that the route only calls these verbs.
import type { RequestEvent } from '@sveltejs/kit';
import { directoryFromEnv } from '@mamori/db/directory';
import {
	createTenant,
	listTenantsWithStatus,
	previewTaxonomyVersion,
	probeTenantDatabase,
	publishTaxonomyVersion
} from '@mamori/services';
import { restoreTenant } from '@mamori/services/export';
import { tenantDatabase } from '$lib/server/db';
import { platformEnv } from '$lib/server/platform';
import { coreContext } from '$lib/server/workspace';

type OperatorEvent = Pick<RequestEvent, 'locals' | 'platform'>;

/** A page of the cities with what the migrator recorded of their databases (`?search=&state=&page=`). */
export async function listOperatorTenants({ locals, platform }: OperatorEvent, params: URLSearchParams) {
	const listed = await listTenantsWithStatus({
		ctx: coreContext(locals),
		input: { q: params.get('search') ?? '', state: params.get('state') ?? undefined, page: params.get('page') ?? 1 }
	});
	return { ...listed, directory: platformEnv(platform).MAMORI_DB ?? 'sqld' };
}

/** Asks one city's database which schema it has, now. */
export function probeCity({ locals, platform }: OperatorEvent, input: Record<string, unknown>) {
	const env = platformEnv(platform);
	return probeTenantDatabase({
		ctx: coreContext(locals),
		open: (tenant) => tenantDatabase(env, tenant).$client,
		input
	});
}

/** Subscribes a city: its database is created by the directory the environment names. */
export function subscribeTenant(
	{ locals, platform }: OperatorEvent,
	input: Record<string, unknown>
): ReturnType<typeof createTenant> {
	return createTenant({ ctx: coreContext(locals), directory: directoryFromEnv(platformEnv(platform)), input });
}

/** Restores an export into a new city, whose database is created by the directory the environment names. */
export function restoreCity(
	{ locals, platform }: OperatorEvent,
	input: Record<string, unknown>
): ReturnType<typeof restoreTenant> {
	return restoreTenant({ ctx: coreContext(locals), directory: directoryFromEnv(platformEnv(platform)), input });
}

/** Every city's database, opened as the taxonomy verbs move through the fleet. */
function cityOpener(platform: OperatorEvent['platform']) {
	const env = platformEnv(platform);
	return (tenant: { databaseUrl: string }) => tenantDatabase(env, tenant);
}

/** What publishing a taxonomy version would change in each city (nothing is written). */
export function previewTaxonomy({ locals, platform }: OperatorEvent, input: Record<string, unknown>) {
	return previewTaxonomyVersion({ ctx: coreContext(locals), open: cityOpener(platform), input });
}

/** Publishes a taxonomy version: every city's categorisation is moved by the declared mapping. */
export function publishTaxonomy({ locals, platform }: OperatorEvent, input: Record<string, unknown>) {
	return publishTaxonomyVersion({ ctx: coreContext(locals), open: cityOpener(platform), input });
}
