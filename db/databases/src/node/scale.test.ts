// The local stack at fleet scale: more city databases than sqld's default of 100 active
// namespaces, every one answering; and the fleet jobs' retry of transient failures.
import { LibsqlError } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { sqldDirectory, uniqueName } from '../../test/directories.ts';
import { openTenant } from '../client.ts';
import { plans } from '../tenant/schema.ts';
import { migrateTenantDatabase } from './fleet.ts';
import { isTransient, withRetry } from '../fleet/retry.ts';

// Three times sqld's default of 100 active namespaces.
const CITIES = 300;

describe('more than 100 city databases on one sqld', () => {
	const directory = sqldDirectory();
	const names = Array.from({ length: CITIES }, (_, i) => uniqueName(`scale${i}`));
	afterAll(async () => {
		for (const name of names) await directory.destroy(name);
	}, 120_000);

	it(`answers every request to each of ${CITIES} migrated databases, in random order, three times`, async () => {
		const started = Date.now();
		for (const name of names) await migrateTenantDatabase(await directory.ensure(name));
		const order = [...names, ...names, ...names].sort(() => Math.random() - 0.5);
		const failures: string[] = [];
		let next = 0;
		// Sixteen readers at once, as a page pass over the fleet does. No retry here: a namespace
		// evicted and being reloaded answers 404 and fails this.
		const reader = async () => {
			while (next < order.length) {
				const name = order[next++]!;
				const db = openTenant(directory.locate(name));
				try {
					const rows = await db.select().from(plans);
					if (rows.length !== 0) failures.push(`${name}: ${rows.length} plans`);
				} catch (error) {
					failures.push(`${name}: ${String(error)}`);
				} finally {
					db.$client.close();
				}
			}
		};
		await Promise.all(Array.from({ length: 16 }, reader));
		console.log(`${CITIES} databases migrated and read ${order.length} times in ${Date.now() - started} ms`);
		expect(failures).toEqual([]);
	}, 240_000);
});

describe('withRetry', () => {
	const notFound = () => new LibsqlError('Server returned HTTP status 404', 'SERVER_ERROR');

	it('tries a transient failure again until it succeeds', async () => {
		let calls = 0;
		const retried: number[] = [];
		const result = await withRetry(
			async () => {
				calls++;
				if (calls < 3) throw notFound();
				return 'migrated';
			},
			{ baseMs: 1, onRetry: (_e, attempt) => retried.push(attempt) }
		);
		expect(result).toBe('migrated');
		expect(calls).toBe(3);
		expect(retried).toEqual([1, 2]);
	});

	it('throws a failed migration at once, and gives up on a transient one after its attempts', async () => {
		let calls = 0;
		const syntax = new LibsqlError('near "CREAT": syntax error', 'SQLITE_ERROR');
		await expect(
			withRetry(async () => {
				calls++;
				throw syntax;
			})
		).rejects.toBe(syntax);
		expect(calls).toBe(1);
		calls = 0;
		await expect(
			withRetry(
				async () => {
					calls++;
					throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
				},
				{ attempts: 4, baseMs: 1 }
			)
		).rejects.toThrow('fetch failed');
		expect(calls).toBe(4);
	});

	it('tells transient errors from the others', () => {
		expect(isTransient(notFound())).toBe(true);
		expect(isTransient(new LibsqlError('SQLITE_BUSY: database is locked', 'SQLITE_BUSY'))).toBe(true);
		// A request past its deadline (an overloaded server), as the opener's deadline aborts it.
		expect(
			isTransient(
				new Error('Failed query', {
					cause: new DOMException('The operation was aborted due to timeout', 'TimeoutError')
				})
			)
		).toBe(true);
		expect(isTransient(new LibsqlError('UNIQUE constraint failed: plans.id', 'SQLITE_CONSTRAINT'))).toBe(false);
		expect(isTransient(new Error('no such table: plans'))).toBe(false);
	});
});
