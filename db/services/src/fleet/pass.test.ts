// A fleet job's pass split across invocations, with the fleet's retry: the cursor is the core's
// (real sqld), the cities are names and `each` records what it was given.
import { LibsqlError } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type CoreDb } from '@mamori/db';
import { migrateCore } from '@mamori/db/node';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { runFleetPass } from './pass.ts';

const cities = ['g', 'a', 'e', 'c', 'b', 'f', 'd'].map((slug) => ({ slug }));
const DAY1 = Date.parse('2091-04-01T00:00:00Z');
const DAY2 = DAY1 + 86_400_000;

describe('a fleet pass', () => {
	const directory = sqldDirectory();
	const name = uniqueName('pass-core');
	let core: CoreDb;

	beforeAll(async () => {
		const location = await directory.ensure(name);
		await migrateCore(location);
		core = openCore(location);
	});

	afterAll(async () => {
		core.$client.close();
		await directory.destroy(name);
	});

	it('takes its limit of cities per invocation, in slug order, until the day’s pass is complete', async () => {
		const invoke = async (now: number) => {
			const done: string[] = [];
			const report = await runFleetPass({
				core,
				cities,
				pass: { job: 'test', limit: 3 },
				now,
				each: async (city) => void done.push(city.slug)
			});
			return { done: done.sort(), complete: report.complete, remaining: report.remaining };
		};
		expect(await invoke(DAY1)).toEqual({ done: ['a', 'b', 'c'], complete: false, remaining: 4 });
		expect(await invoke(DAY1 + 600_000)).toEqual({ done: ['d', 'e', 'f'], complete: false, remaining: 1 });
		expect(await invoke(DAY1 + 1_200_000)).toEqual({ done: ['g'], complete: true, remaining: 0 });
		// The day's pass is done: a further invocation that day does nothing.
		expect(await invoke(DAY1 + 1_800_000)).toEqual({ done: [], complete: true, remaining: 0 });
		// The next day begins a new pass.
		expect(await invoke(DAY2)).toEqual({ done: ['a', 'b', 'c'], complete: false, remaining: 4 });
	});

	it('tries a transient failure again, reports a lasting one and goes on with the others', async () => {
		const calls = new Map<string, number>();
		const retried: string[] = [];
		const report = await runFleetPass({
			core,
			cities,
			concurrency: 3,
			retry: { baseMs: 1, onRetry: (city, _e, attempt) => retried.push(`${city.slug}#${attempt}`) },
			each: async ({ slug }) => {
				const n = (calls.get(slug) ?? 0) + 1;
				calls.set(slug, n);
				// A namespace being loaded answers 404 once; a broken city fails every time.
				if (slug === 'b' && n === 1) throw new LibsqlError('Server returned HTTP status 404', 'SERVER_ERROR');
				if (slug === 'e') throw new LibsqlError('no such table: benchmark_publications', 'SQLITE_ERROR');
				return slug.toUpperCase();
			}
		});
		expect(retried).toEqual(['b#1']);
		expect(calls.get('e')).toBe(1);
		expect(report.complete).toBe(true);
		expect(report.outcomes.filter((o) => o.ok).map((o) => o.ok && o.value)).toEqual(['A', 'B', 'C', 'D', 'F', 'G']);
		expect(report.outcomes.filter((o) => !o.ok)).toEqual([
			{ city: { slug: 'e' }, ok: false, error: expect.stringContaining('no such table: benchmark_publications') }
		]);
	});
});
