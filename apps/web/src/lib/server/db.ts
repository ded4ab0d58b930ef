// Wires the platform's environment into @mamori/db. No business logic here.
import { openCore, openTenant, type CoreDb, type RoundTrips, type TenantDb } from '@mamori/db';

type Env = App.Platform['env'];

/** DATABASE_DEADLINE_MS when set to a number; else the opener's default. */
const deadlineOf = (env: Env) => {
	const ms = Number(env.DATABASE_DEADLINE_MS);
	return env.DATABASE_DEADLINE_MS && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/**
 * Each request opens its own handles: the queries its loads make side by side leave as one
 * batch (`coalesce`), and `meter` counts its round trips (handleDatabase reports them).
 */
export function coreDatabase(env: Env, meter?: RoundTrips): CoreDb {
	return openCore({
		url: env.CORE_DATABASE_URL,
		authToken: env.CORE_DATABASE_AUTH_TOKEN,
		deadlineMs: deadlineOf(env),
		meter,
		coalesce: true
	});
}

/** Opens a tenant's database from its directory row, never from a slug in user input. */
export function tenantDatabase(env: Env, tenant: { databaseUrl: string }, meter?: RoundTrips): TenantDb {
	return openTenant({
		url: tenant.databaseUrl,
		authToken: env.TENANT_DATABASE_AUTH_TOKEN,
		deadlineMs: deadlineOf(env),
		meter,
		coalesce: true
	});
}
