// The one way to open a database. Core and tenant databases are reached the same way;
// only the schema differs. @libsql/client resolves by export condition: under workerd to its
// HTTP-only web client, under Node to the full client that also opens embedded `file:` files.
import { createClient, type Client, type InArgs, type InStatement, type ResultSet } from '@libsql/client';
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
	/** Counts this database's round trips (with the other databases of the same request). */
	meter?: RoundTrips | undefined;
	/**
	 * Sends the queries issued side by side (before the next task) as one batch: one round trip
	 * instead of one each (see `coalescing`). For a request's own handle; not for a long-lived one
	 * shared by unrelated work.
	 */
	coalesce?: boolean | undefined;
}

/**
 * The round trips a request makes to its database servers, and in how many sequential waves: a
 * wave begins whenever a request leaves while none is in flight, so queries sent side by side
 * (Promise.all, one batch) are one wave, and a query that waits for another's answer begins the
 * next. Every HTTP request to a server is one round trip (a batch is one; an interactive
 * transaction is one per statement). Embedded `file:` databases are not counted.
 */
export class RoundTrips {
	count = 0;
	waves = 0;
	#inFlight = 0;

	/** Runs one round trip. */
	async measure<T>(send: () => Promise<T>): Promise<T> {
		this.count++;
		if (this.#inFlight++ === 0) this.waves++;
		try {
			return await send();
		} finally {
			this.#inFlight--;
		}
	}

	/** As a Server-Timing header value (the browser's developer tools show it). */
	toServerTiming(): string {
		return `db;desc="${this.count} round trips in ${this.waves} waves"`;
	}
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

/** The fetch of a database client: abandons a request at its deadline, counts it on the meter. */
function serverFetch(deadlineMs: number, meter: RoundTrips | undefined) {
	const send = (request: Request) =>
		deadlineMs > 0 ? fetch(request, { signal: AbortSignal.timeout(deadlineMs) }) : fetch(request);
	return meter ? (request: Request) => meter.measure(() => send(request)) : send;
}

function connect(location: DatabaseLocation): Client {
	if (!location.url) throw new DatabaseUnavailableError('database URL is not configured');
	const deadline = location.deadlineMs ?? DATABASE_DEADLINE_MS;
	const overHttp = /^(https?|libsql):/.test(location.url);
	const client = createClient({
		url: location.url,
		authToken: location.authToken,
		...(overHttp && (deadline > 0 || location.meter) ? { fetch: serverFetch(deadline, location.meter) } : {})
	});
	return location.coalesce ? coalescing(client) : client;
}

type Statement = Exclude<InStatement, string> | string;
interface Pending {
	stmts: Statement[];
	/** Called as `execute` (answers one result) rather than `batch`. */
	single: boolean;
	resolve(result: ResultSet | ResultSet[]): void;
	reject(error: unknown): void;
}

/**
 * A client whose `execute` and `batch` calls made side by side (a page's reads under
 * Promise.all, each service with its own batch) leave together, as one batch (one transaction:
 * the reads see one state of the database). Should a statement of it fail, the batch is undone
 * as a whole and each call is sent again alone, so each gets its own answer, as if never
 * combined; should the server not answer, every call is told so (none is sent twice: a write past
 * its deadline may yet have been applied). One call alone is sent as it was made. Interactive
 * transactions and migrations are not touched.
 */
function coalescing(client: Client): Client {
	let queue: Pending[] = [];
	const alone = (p: Pending) =>
		(p.single ? client.execute(p.stmts[0]!) : client.batch(p.stmts, 'deferred')).then(p.resolve, p.reject);
	const flush = async () => {
		const pending = queue;
		queue = [];
		if (pending.length === 1) return alone(pending[0]!);
		let results: ResultSet[];
		try {
			results = await client.batch(
				pending.flatMap((p) => p.stmts),
				'deferred'
			);
		} catch (error) {
			if (isUnreachable(error)) for (const p of pending) p.reject(error);
			else await Promise.all(pending.map(alone));
			return;
		}
		let at = 0;
		for (const p of pending) {
			const part = results.slice(at, (at += p.stmts.length));
			p.resolve(p.single ? part[0]! : part);
		}
	};
	const enqueue = (stmts: Statement[], single: boolean) =>
		new Promise<ResultSet | ResultSet[]>((resolve, reject) => {
			// After the microtasks of this turn, so that calls a few awaits apart still meet.
			if (queue.length === 0) setTimeout(() => void flush(), 0);
			queue.push({ stmts, single, resolve, reject });
		});
	const execute = (stmt: InStatement, args?: InArgs) =>
		enqueue([typeof stmt === 'string' && args !== undefined ? { sql: stmt, args } : stmt], true) as Promise<ResultSet>;
	const batch: Client['batch'] = (stmts, mode) => {
		if ((mode && mode !== 'deferred') || stmts.length === 0) return client.batch(stmts, mode);
		const normalised = stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
		return enqueue(normalised, false) as Promise<ResultSet[]>;
	};
	return new Proxy(client, {
		get(target, property) {
			if (property === 'execute') return execute;
			if (property === 'batch') return batch;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		}
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

/**
 * True when a database request may have been applied without the caller learning it: abandoned at
 * its deadline, or its connection lost after it was sent (the server killed or restarted while it
 * worked). A refused connection or a server's error answer is not this: nothing was applied.
 */
export function isOutcomeUnknown(error: unknown): boolean {
	if (isPastDeadline(error)) return true;
	const seen = new Set<unknown>();
	let e: unknown = error;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const { code, message } = e as { code?: string; message?: string };
		if (code && /ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(code)) return true;
		if (message && /Network connection lost|other side closed|socket hang up|ECONNRESET/i.test(message)) return true;
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
