import { describe, expect, it } from 'vitest';
import { sqldDirectory, uniqueName } from '../../test/directories.ts';
import { openTenant } from '../client.ts';

describe('SqldDirectory (real sqld, admin API)', () => {
	it('creates a namespace reachable by path, idempotently, and deletes it', async () => {
		const directory = sqldDirectory();
		const name = uniqueName('ns');
		const location = await directory.ensure(name);
		expect(location.url).toMatch(new RegExp(`^http://localhost:\\d+/dev/${name}/$`));
		expect(await directory.ensure(name)).toEqual(location);
		const db = openTenant(location);
		await db.$client.execute('CREATE TABLE t (x)');
		await db.$client.execute("INSERT INTO t VALUES ('kept')");
		db.$client.close();

		await directory.destroy(name);
		await directory.ensure(name);
		const again = openTenant(location);
		const tables = await again.$client.execute("SELECT name FROM sqlite_master WHERE name = 't'");
		again.$client.close();
		expect(tables.rows).toHaveLength(0); // a deleted database is gone, data and all
		await directory.destroy(name);
		await expect(directory.destroy(name)).resolves.toBeUndefined();
	});
});
