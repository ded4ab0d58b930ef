// The request handles of the web app: queries made side by side leave as one batch (one round
// trip, counted), and combining them never changes what each call answers or writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqldDirectory, uniqueName } from '../test/directories.ts';
import { openCore, RoundTrips, type CoreDb } from './client.ts';

describe('round trips of a request handle', () => {
	const directory = sqldDirectory();
	const name = uniqueName('roundtrips');
	let plain: CoreDb;
	const opened: CoreDb[] = [];
	const handle = () => {
		const meter = new RoundTrips();
		const db = openCore({ ...directory.locate(name), meter, coalesce: true });
		opened.push(db);
		return { meter, db };
	};
	beforeAll(async () => {
		plain = openCore(await directory.ensure(name));
		await plain.$client.batch([
			'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)',
			"INSERT INTO t VALUES (1, 'a'), (2, 'b')"
		]);
	});
	afterAll(async () => {
		for (const db of [plain, ...opened]) db.$client.close();
		await directory.destroy(name);
	});

	it('counts each request and each sequential wave', async () => {
		const { meter, db } = handle();
		await db.$client.execute('SELECT 1');
		await db.$client.execute('SELECT 2');
		expect([meter.count, meter.waves]).toEqual([2, 2]);
		expect(meter.toServerTiming()).toBe('db;desc="2 round trips in 2 waves"');
	});

	it('sends executes and batches made side by side as one batch, each answered its own rows', async () => {
		const { meter, db } = handle();
		const [one, two, both] = await Promise.all([
			db.$client.execute('SELECT v FROM t WHERE id = 1'),
			db.$client.execute({ sql: 'SELECT v FROM t WHERE id = ?', args: [2] }),
			db.$client.batch(['SELECT count(*) AS n FROM t', ['SELECT v FROM t WHERE id = ?', [1]]])
		]);
		expect([meter.count, meter.waves]).toEqual([1, 1]);
		expect(one.rows.map((r) => r.v)).toEqual(['a']);
		expect(two.rows.map((r) => r.v)).toEqual(['b']);
		expect(both.map((r) => r.rows[0]?.[0])).toEqual([2, 'a']);
	});

	it('drizzle queries a few awaits apart still meet in one round trip', async () => {
		const { meter, db } = handle();
		const later = async () => {
			await Promise.resolve();
			await Promise.resolve();
			return db.$client.execute('SELECT 3 AS n');
		};
		const [a, b] = await Promise.all([db.$client.execute('SELECT 4 AS n'), later()]);
		expect([a.rows[0]?.n, b.rows[0]?.n, meter.count]).toEqual([4, 3, 1]);
	});

	it('a failing statement fails only its own call; the others are answered and applied once', async () => {
		const { db } = handle();
		const results = await Promise.allSettled([
			db.$client.execute("INSERT INTO t VALUES (3, 'c')"),
			db.$client.execute("INSERT INTO t VALUES (4, 'a')"), // violates UNIQUE(v)
			db.$client.batch(["INSERT INTO t VALUES (5, 'e')", "INSERT INTO t VALUES (6, 'e')"]) // its second fails
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
		expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
		// The failed batch left nothing (all or nothing, as a batch alone); the insert that succeeded, once.
		const rows = await plain.$client.execute('SELECT id FROM t ORDER BY id');
		expect(rows.rows.map((r) => r.id)).toEqual([1, 2, 3]);
	});

	it('a server that does not answer: every call is told, none is sent again', async () => {
		const meter = new RoundTrips();
		const db = openCore({ url: 'http://127.0.0.1:9/', meter, coalesce: true, deadlineMs: 2_000 });
		opened.push(db);
		const results = await Promise.allSettled([db.$client.execute('SELECT 1'), db.$client.execute('SELECT 2')]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(meter.count).toBe(1);
	});
});
