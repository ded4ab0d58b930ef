// Wiring for the operator console: the tenant directory and each city's database, both taken
// from the platform's environment, so that the route only calls these verbs.
import type { RequestEvent } from '@sveltejs/kit';
import { directoryFromEnv } from '@mamori/db/directory';
import { createTenant, listTenantsWithStatus } from '@mamori/services';
import { tenantDatabase } from '$lib/server/db';
import { platformEnv } from '$lib/server/platform';
import { coreContext } from '$lib/server/workspace';

type OperatorEvent = Pick<RequestEvent, 'locals' | 'platform'>;

/** Every tenant with its status and schema version (read from its own database). */
export async function listOperatorTenants({ locals, platform }: OperatorEvent) {
	const env = platformEnv(platform);
	const listed = await listTenantsWithStatus({
		ctx: coreContext(locals),
		open: (tenant) => tenantDatabase(env, tenant).$client
	});
	return { ...listed, directory: env.MAMORI_DB ?? 'sqld' };
}

/** Subscribes a city: its database is created by the directory the environment names. */
export function subscribeTenant(
	{ locals, platform }: OperatorEvent,
	input: { municipalityCode: string; slug: string; adminEmail: string }
): ReturnType<typeof createTenant> {
	return createTenant({ ctx: coreContext(locals), directory: directoryFromEnv(platformEnv(platform)), input });
}
