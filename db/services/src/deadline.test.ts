// A save against a hung city database (it accepts the connection and never answers, as a stopped
// sqld does): abandoned at the deadline and reported as a timeout, whose outcome the surfaces call
// unknown ("check whether it was saved"), never as "not saved".
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant } from '@mamori/db';
import { testContext } from '../test/context.ts';
import { asServiceError, TimeoutError, UnavailableError } from './errors.ts';
import { updateYearlyRecord } from './index.ts';

describe('a hung database, a save', () => {
	let server: Server;
	let url: string;
	const sockets = new Set<Socket>();
	beforeAll(async () => {
		server = createServer((socket) => sockets.add(socket));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => server.close(resolve));
	});

	it('is abandoned at the deadline and reported as a timeout, not as unavailable', async () => {
		const ctx = testContext({ db: openTenant({ url, deadlineMs: 300 }), core: openCore({ url, deadlineMs: 300 }) });
		const input = {
			id: '01a23789-0aa8-761b-b7d8-f55e20b3a5f5',
			version: 1,
			fiscalYear: '2020',
			phase: 'actual',
			text: 'x'
		};
		const error = await updateYearlyRecord({ ctx, input }).catch((e: unknown) => e);
		expect(asServiceError(error)).toBeInstanceOf(TimeoutError);
		// A server that refuses the connection: certainly not applied, so "unavailable" (not saved).
		const refused = testContext({ db: openTenant({ url: 'http://127.0.0.1:9/' }), core: openCore({ url }) });
		const down = await updateYearlyRecord({ ctx: refused, input }).catch((e: unknown) => e);
		expect(asServiceError(down)).toBeInstanceOf(UnavailableError);
	});
});
