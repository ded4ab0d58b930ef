// A database server that accepts connections and never answers (as a stopped sqld does): a
// request is abandoned at its deadline, recognised as such, instead of waiting for the client's
// own 45 s.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_DEADLINE_MS, isPastDeadline, isUnreachable, openCore } from './client.ts';

describe('the deadline of every database request', () => {
	let server: Server;
	let url: string;
	const sockets = new Set<Socket>();
	beforeAll(async () => {
		server = createServer((socket) => sockets.add(socket)); // reads the request, never answers
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => server.close(resolve));
	});

	it('a hung server: the query is abandoned at the deadline, as a deadline and as unreachable', async () => {
		const core = openCore({ url, deadlineMs: 300 });
		const error = await core.$client.execute('SELECT 1').catch((e: unknown) => e);
		expect(isPastDeadline(error), String(error)).toBe(true);
		expect(isUnreachable(error)).toBe(true);
		core.$client.close();
	});

	it(
		`without a deadline given (as the apps open their databases when DATABASE_DEADLINE_MS is unset), the default of ${DATABASE_DEADLINE_MS} ms holds`,
		async () => {
			const core = openCore({ url });
			const started = Date.now();
			const error = await core.$client.execute('SELECT 1').catch((e: unknown) => e);
			expect(isPastDeadline(error), String(error)).toBe(true);
			// Not sooner than the default (later is only a busy machine); without one it would hang.
			expect(Date.now() - started).toBeGreaterThanOrEqual(DATABASE_DEADLINE_MS - 50);
			core.$client.close();
		},
		4 * DATABASE_DEADLINE_MS
	);

	it('a refused connection is unreachable, not a deadline', async () => {
		const core = openCore({ url: 'http://127.0.0.1:9/', deadlineMs: 5_000 });
		const error = await core.$client.execute('SELECT 1').catch((e: unknown) => e);
		expect(isUnreachable(error)).toBe(true);
		expect(isPastDeadline(error)).toBe(false);
		core.$client.close();
	});
});
