// One retry for fleet jobs: a transient failure (the network, a namespace being loaded, an
// overloaded server, a request past its deadline, a busy database) is tried again after an exponential, jittered wait; any
// other error (a failed migration, a constraint) is thrown at once.

export interface RetryOptions {
	/** Attempts in all, the first included. */
	attempts?: number;
	baseMs?: number;
	maxMs?: number;
	onRetry?: (error: unknown, attempt: number) => void;
}

const TRANSIENT =
	/HTTP status (404|408|425|429|500|502|503|504)\b|fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|other side closed|SQLITE_BUSY|database is locked|aborted due to timeout|TimeoutError/i;

export function isTransient(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
		if (e instanceof Error) {
			const code = (e as { code?: unknown }).code;
			if (TRANSIENT.test(e.message) || (typeof code === 'string' && TRANSIENT.test(code))) return true;
			e = e.cause;
		} else return TRANSIENT.test(String(e));
	}
	return false;
}

export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
	const attempts = options.attempts ?? 5;
	const base = options.baseMs ?? 100;
	const max = options.maxMs ?? 3000;
	for (let attempt = 1; ; attempt++) {
		try {
			return await operation();
		} catch (error) {
			if (attempt >= attempts || !isTransient(error)) throw error;
			options.onRetry?.(error, attempt);
			const wait = Math.min(max, base * 2 ** (attempt - 1));
			await new Promise((done) => setTimeout(done, wait / 2 + Math.random() * (wait / 2)));
		}
	}
}
