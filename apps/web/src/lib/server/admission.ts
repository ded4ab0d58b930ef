// How many requests an isolate works on at once. An isolate runs one request's JavaScript at a
// time: with a few hundred requests in flight, each one's next step (a database answer read, a
// page rendered) waits behind all the others', and a database deadline (db.ts) then measures
// that wait, not the database. Under `npm run soak` (200 users, one local isolate) 12 % of the
// requests were answered 503 「データベースに接続できません」 although sqld answered in
// milliseconds; the work done for them was wasted, so fewer still were answered in time. Past the
// limit, a request waits for its turn before its first database call, and its deadlines start
// when it is let in.
//
// While the database is failing (a request in the last few seconds found it unreachable or past
// its deadline) nobody waits: the queue would only delay the 503 that a hung database gives
// within its deadline, and the isolate is then waiting on the database, not busy.

/** Requests in flight per isolate unless REQUESTS_IN_FLIGHT says otherwise (0: no limit). */
export const REQUESTS_IN_FLIGHT = 16;
/** How long after a database failure requests are let in without waiting. */
const FAILING_MS = 10_000;

export interface Admission {
	/** Resolves when the request may start; call the answer once when it has finished. */
	enter(limit: number): Promise<() => void>;
	/** The database was found failing: let everyone in, now and for a few seconds. */
	failing(): void;
	/** Requests in flight and waiting (for tests and logs). */
	readonly state: { inFlight: number; waiting: number };
}

export function admission(now: () => number = Date.now): Admission {
	let inFlight = 0;
	let failingUntil = 0;
	const waiting: (() => void)[] = [];
	const admitNext = () => {
		inFlight++;
		waiting.shift()!();
	};
	const leave = () => {
		inFlight--;
		if (waiting.length > 0) admitNext();
	};
	return {
		async enter(limit) {
			if (limit > 0 && inFlight >= limit && now() >= failingUntil) await new Promise<void>((go) => waiting.push(go));
			else inFlight++;
			let left = false;
			return () => {
				if (left) return;
				left = true;
				leave();
			};
		},
		failing() {
			failingUntil = now() + FAILING_MS;
			while (waiting.length > 0) admitNext();
		},
		get state() {
			return { inFlight, waiting: waiting.length };
		}
	};
}

/** REQUESTS_IN_FLIGHT from the Worker's environment when it is a whole number; else the default. */
export function inFlightLimit(value: string | undefined): number {
	const n = Number(value);
	return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : REQUESTS_IN_FLIGHT;
}
