import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '@libsql/client';
import { openCore, type DatabaseLocation } from '@mamori/db';
import { tenants } from '@mamori/db/core';
import { tenantDatabaseName } from '@mamori/db/directory';
import { migrateTenantDatabase, SqldDirectory, startSqld, type SqldServer } from '@mamori/db/node';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { backupFleet, restoreFleet, sha256, type BackupManifest } from './backup.ts';

/**
 * A proxy in front of the test's sqld that answers the first requests for one database with 503
 * (as a server does while it loads a namespace or is overloaded) and passes everything else on.
 */
async function flakyProxy(upstream: string, database: string, failFirst = 1) {
	let failures = 0;
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (c: Buffer) => chunks.push(c));
		request.on('end', () => {
			if (request.url?.startsWith(`/dev/${database}/`) && failures < failFirst) {
				failures++;
				response.writeHead(503, { 'content-type': 'text/plain' }).end('namespace is loading');
				return;
			}
			const headers = new Headers();
			for (const [k, v] of Object.entries(request.headers))
				if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
			const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
			fetch(new URL(request.url!, upstream), { method: request.method!, headers, body })
				.then(async (answer) => {
					response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
					response.end(Buffer.from(await answer.arrayBuffer()));
				})
				.catch(() => response.writeHead(502).end());
		});
	});
	await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://localhost:${port}`,
		failures: () => failures,
		close: () =>
			new Promise<void>((done) => {
				server.close(() => done());
				server.closeAllConnections();
			})
	};
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table of a database, its schema and rows in a total order (by every column). */
async function contents(client: Client) {
	const schema = await client.execute(
		"SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
	);
	const tables: Record<string, unknown[][]> = {};
	for (const { type, name } of schema.rows) {
		if (type !== 'table') continue;
		const width = (await client.execute(`PRAGMA table_info(${quoted(String(name))})`)).rows.length;
		const order = Array.from({ length: width }, (_, i) => i + 1).join(', ');
		const result = await client.execute(`SELECT * FROM ${quoted(String(name))} ORDER BY ${order}`);
		tables[String(name)] = result.rows.map((row) => result.columns.map((_, i) => row[i]));
	}
	return { schema: schema.rows.map((r) => [r.type, r.name, r.sql]), tables };
}

const rowsOf = (c: Awaited<ReturnType<typeof contents>>) => Object.values(c.tables).reduce((n, t) => n + t.length, 0);

describe('backup and restore of the whole fleet (real sqld)', () => {
	const directory = sqldDirectory();
	let core: DatabaseLocation;
	let coreName: string;
	const fleet: { slug: string; databaseName: string }[] = [];
	let proxy: Awaited<ReturnType<typeof flakyProxy>>;
	let fresh: SqldServer;
	const dirs: string[] = [];
	const tempDir = (prefix: string) => {
		const dir = mkdtempSync(join(tmpdir(), prefix));
		dirs.push(dir);
		return dir;
	};

	beforeAll(async () => {
		core = await seededCore();
		coreName = /\/dev\/([^/]+)\//.exec(core.url)![1]!;
		for (const slug of ['meguro', 'koganei'] as const) {
			const seeded = await seededCity(slug, { core });
			seeded.db.$client.close();
			fleet.push({ slug: seeded.tenant.slug, databaseName: tenantDatabaseName(seeded.tenant.slug) });
		}
		// Cities subscribed but not yet filled in: migrated, empty databases.
		const coreDb = openCore(core);
		try {
			const free = ['012025', '012033', '012041', '012050'];
			for (const code of free) {
				const slug = uniqueName('empty');
				const databaseName = tenantDatabaseName(slug);
				const location = await directory.ensure(databaseName);
				const version = await migrateTenantDatabase(location);
				await coreDb.insert(tenants).values({
					id: uniqueName('tenant'),
					slug,
					municipalityCode: code,
					databaseName,
					databaseUrl: location.url,
					schemaVersion: version
				});
				fleet.push({ slug, databaseName });
			}
		} finally {
			coreDb.$client.close();
		}
		proxy = await flakyProxy(
			/^(http:\/\/[^/]+)/.exec(directory.locate(fleet[0]!.databaseName).url)![1]!,
			fleet[0]!.databaseName
		);
		fresh = await startSqld({ dataDir: tempDir('mamori-restore-sqld-'), quiet: true });
	}, 180_000);

	afterAll(async () => {
		await proxy?.close();
		await fresh?.stop();
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	it('backs up every database despite one transient failure, resumes, and restores identical data into a fresh sqld', async () => {
		const dir = tempDir('mamori-backup-');
		const lines: string[] = [];
		const options = {
			dir,
			core,
			coreName,
			// The first city's database is reached through the proxy that fails once.
			locate: (name: string) =>
				name === fleet[0]!.databaseName ? { url: `${proxy.url}/dev/${name}/` } : directory.locate(name),
			concurrency: 3,
			retry: { baseMs: 20 },
			log: (line: string) => lines.push(line)
		};
		const started = performance.now();
		const manifest = await backupFleet(options);
		const backupSeconds = (performance.now() - started) / 1000;

		expect(proxy.failures()).toBe(1);
		expect(lines.some((l) => l.startsWith(`${fleet[0]!.slug}: retrying after attempt 1:`) && /503/.test(l))).toBe(true);
		expect(manifest.failed).toEqual([]);
		expect(manifest.completedAt).not.toBeNull();
		expect(manifest.tenants.map((t) => t.slug).sort()).toEqual(fleet.map((t) => t.slug).sort());
		expect(Object.keys(manifest.files).sort()).toEqual(fleet.map((t) => t.databaseName).sort());
		expect(manifest.files[fleet[0]!.databaseName]).toMatchObject({
			slug: fleet[0]!.slug,
			tenantId: expect.any(String)
		});
		const files = [manifest.core!, ...Object.values(manifest.files)];
		for (const file of files) expect(sha256(readFileSync(join(dir, file.file)))).toBe(file.sha256);
		expect(manifest.files[fleet[0]!.databaseName]!.rows).toBeGreaterThan(10);
		expect(manifest.core!.tables.municipalities).toBeGreaterThan(1000);

		// Any SQLite reads the files: Node's own here.
		const cityFile = new DatabaseSync(join(dir, manifest.files[fleet[1]!.databaseName]!.file), { readOnly: true });
		const plans = cityFile.prepare('SELECT count(*) AS n FROM plans').get() as { n: number };
		cityFile.close();
		expect(plans.n).toBe(manifest.files[fleet[1]!.databaseName]!.tables.plans);

		// Run again: a complete backup is left as it is.
		lines.length = 0;
		expect(await backupFleet(options)).toEqual(manifest);
		expect(lines).toEqual([expect.stringMatching(/nothing to do$/)]);

		// A backup stopped before one city was written: the next run makes only that city's file.
		const resumed = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
		const lost = fleet[1]!;
		unlinkSync(join(dir, resumed.files[lost.databaseName]!.file));
		lines.length = 0;
		const completed = await backupFleet(options);
		expect(lines).toEqual([
			'core: kept from the earlier run',
			expect.stringMatching(new RegExp(`^${lost.slug}: \\d+ rows$`))
		]);
		expect(completed.files[lost.databaseName]!.rows).toBe(manifest.files[lost.databaseName]!.rows);
		expect(completed.completedAt).not.toBeNull();

		// Restore into a fresh sqld: the same databases, by the same names.
		const target = new SqldDirectory({ httpUrl: fresh.httpUrl, adminUrl: fresh.adminUrl });
		const restoreTarget = { core: () => target.ensure(coreName), ensure: (name: string) => target.ensure(name) };
		const restoreStarted = performance.now();
		const report = await restoreFleet({ dir, target: restoreTarget, concurrency: 3 });
		const restoreSeconds = (performance.now() - restoreStarted) / 1000;
		expect(report).toMatchObject({ databases: fleet.length + 1, kept: 0, failed: [] });

		// Every table of every database, row for row.
		let tablesCompared = 0;
		let rowsCompared = 0;
		for (const { name, relocated } of [
			{ name: coreName, relocated: true },
			...fleet.map((t) => ({ name: t.databaseName, relocated: false }))
		]) {
			const before = createClient({ url: directory.locate(name).url });
			const after = createClient({ url: target.locate(name).url });
			try {
				const [a, b] = [await contents(before), await contents(after)];
				if (relocated) {
					// The one change: the core says where each city's database now is.
					const column = (await before.execute('PRAGMA table_info(tenants)')).rows.findIndex(
						(c) => c.name === 'database_url'
					);
					for (const row of b.tables.tenants!)
						expect(String(row[column])).toMatch(new RegExp(`^${fresh.httpUrl}/dev/`));
					const urls = (rows: unknown[][]) => rows.map((row) => row.filter((_, i) => i !== column));
					expect(urls(b.tables.tenants!)).toEqual(urls(a.tables.tenants!));
					delete a.tables.tenants;
					delete b.tables.tenants;
					tablesCompared++;
				}
				expect(b).toEqual(a);
				tablesCompared += Object.keys(a.tables).length;
				rowsCompared += rowsOf(a);
			} finally {
				before.close();
				after.close();
			}
		}
		expect(rowsCompared).toBeGreaterThan(manifest.core!.tables.municipalities!);

		// Restoring again finds every database restored and changes nothing.
		const again = await restoreFleet({ dir, target: restoreTarget });
		expect(again).toMatchObject({ databases: fleet.length + 1, kept: fleet.length + 1, failed: [] });

		// A target database that holds other data is refused, and only that one.
		const changed = fleet[1]!;
		const [table] = Object.entries(manifest.files[changed.databaseName]!.tables).sort((a, b) => b[1] - a[1])[0]!;
		const edited = createClient({ url: target.locate(changed.databaseName).url });
		await edited.execute(`DELETE FROM ${quoted(table)} WHERE rowid = (SELECT max(rowid) FROM ${quoted(table)})`);
		edited.close();
		const refused = await restoreFleet({ dir, target: restoreTarget });
		expect(refused.failed).toEqual([
			{ databaseName: changed.databaseName, error: expect.stringMatching(/already holds other data/) }
		]);
		expect(refused).toMatchObject({ databases: fleet.length, kept: fleet.length });

		const rows = files.reduce((n, f) => n + f.rows, 0);
		console.log(
			`backup: ${files.length} databases (core + ${fleet.length} cities), ${rows} rows, ${(files.reduce((n, f) => n + f.bytes, 0) / 1e6).toFixed(1)} MB in ${backupSeconds.toFixed(1)} s with 1 transient failure retried; ` +
				`restore into a fresh sqld in ${restoreSeconds.toFixed(1)} s; ${tablesCompared} tables, ${rowsCompared} rows compared identical`
		);
	}, 240_000);
	it('lists a city that keeps failing, without stopping the rest, and completes the backup when run again', async () => {
		const dir = tempDir('mamori-backup-failing-');
		const down = fleet[2]!;
		const broken = await flakyProxy(
			/^(http:\/\/[^/]+)/.exec(directory.locate(down.databaseName).url)![1]!,
			down.databaseName,
			1000
		);
		const lines: string[] = [];
		const options = {
			dir,
			core,
			coreName,
			locate: (name: string) => directory.locate(name),
			retry: { attempts: 3, baseMs: 5 },
			log: (line: string) => lines.push(line)
		};
		try {
			const first = await backupFleet({
				...options,
				locate: (name) => (name === down.databaseName ? { url: `${broken.url}/dev/${name}/` } : directory.locate(name))
			});
			expect(broken.failures()).toBe(3);
			expect(first.completedAt).toBeNull();
			expect(first.failed).toEqual([expect.objectContaining({ slug: down.slug, error: expect.stringMatching(/503/) })]);
			expect(Object.keys(first.files)).toHaveLength(fleet.length - 1);
			await expect(
				restoreFleet({
					dir,
					target: {
						core: () => Promise.reject(new Error('not reached')),
						ensure: () => Promise.reject(new Error('not reached'))
					}
				})
			).rejects.toThrow(/incomplete/);
		} finally {
			await broken.close();
		}
		lines.length = 0;
		const second = await backupFleet(options);
		expect(lines).toEqual([
			'core: kept from the earlier run',
			expect.stringMatching(new RegExp(`^${down.slug}: \\d+ rows$`))
		]);
		expect(second.failed).toEqual([]);
		expect(second.completedAt).not.toBeNull();
		expect(Object.keys(second.files)).toHaveLength(fleet.length);
		console.log(
			`backup: a city failing ${broken.failures()} times is listed, the other ${fleet.length - 1} backed up; the next run made only it`
		);
	});
});
