// The one way to open a database. Core and tenant databases are reached the same way;
// only the schema differs. @libsql/client resolves by export condition: under workerd to its
// HTTP-only web client, under Node to the full client that also opens embedded `file:` files.
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { benchmarkFacts, benchmarkPublications } from './core/benchmarks.ts';
import { coreSchema as coreTables } from './core/schema.ts';
import { tenantSchema } from './tenant/schema.ts';

const coreSchema = { ...coreTables, benchmarkFacts, benchmarkPublications };

export interface DatabaseLocation {
	url: string;
	authToken?: string | undefined;
	/** How long one request to the server may take (DATABASE_DEADLINE_MS); 0: no deadline (scripts). */
	deadlineMs?: number | undefined;
}

/**
 * A request to a database server that has not answered in this time is abandoned: a hung or
 * stopped server gives a clear 503 within seconds instead of holding the page until the client
 * gives up (45 s), and a write abandoned this way is reported as of unknown outcome.
 */
export const DATABASE_DEADLINE_MS = 8_000;

export type CoreDb = LibSQLDatabase<typeof coreSchema> & { $client: Client };
export type TenantDb = LibSQLDatabase<typeof tenantSchema> & { $client: Client };

/** A database that could not be reached: the web layer turns this into a 503 page. */
export class DatabaseUnavailableError extends Error {
	override readonly name = 'DatabaseUnavailableError';
}

/** The fetch of a database client, abandoning a request at its deadline. */
function deadlineFetch(ms: number) {
	return (request: Request) => fetch(request, { signal: AbortSignal.timeout(ms) });
}

function connect(location: DatabaseLocation): Client {
	if (!location.url) throw new DatabaseUnavailableError('database URL is not configured');
	const deadline = location.deadlineMs ?? DATABASE_DEADLINE_MS;
	const overHttp = /^(https?|libsql):/.test(location.url);
	return createClient({
		url: location.url,
		authToken: location.authToken,
		...(deadline > 0 && overHttp ? { fetch: deadlineFetch(deadline) } : {})
	});
}

/** True when a database request was abandoned at its deadline: the server may yet apply it. */
export function isPastDeadline(error: unknown): boolean {
	const seen = new Set<unknown>();
	let e: unknown = error;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const { name, message } = e as { name?: string; message?: string };
		if (name === 'TimeoutError' || (message && /due to timeout|signal timed out/i.test(message))) return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}

export function openCore(location: DatabaseLocation): CoreDb {
	return drizzle({ client: connect(location), schema: coreSchema }) as CoreDb;
}

export function openTenant(location: DatabaseLocation): TenantDb {
	return drizzle({ client: connect(location), schema: tenantSchema }) as TenantDb;
}

/** True when an error means the database server could not be reached (not a bad query). */
export function isUnreachable(error: unknown): boolean {
	if (error instanceof DatabaseUnavailableError || isPastDeadline(error)) return true;
	const seen = new Set<unknown>();
	let e: unknown = error;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const { code, message } = e as { code?: string; message?: string };
		if (code && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|SERVER_ERROR|HRANA_WEBSOCKET_ERROR/.test(code))
			return true;
		if (message && /fetch failed|Network connection lost|ECONNREFUSED|connect|Failed to fetch/i.test(message))
			return true;
		e = (e as { cause?: unknown }).cause;
	}
	return false;
}
