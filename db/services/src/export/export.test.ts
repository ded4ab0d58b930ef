import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { tenantRestores, tenants, users } from '@mamori/db/core';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import type { Principal } from '../auth/policy.ts';
import { coreContext, type TenantTarget } from '../context.ts';
import { InvalidError, AccessDeniedError } from '../errors.ts';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { worded } from '../../test/words.ts';
import { exportCityJson, exportCitySqlite, exportText, readCity } from './export.ts';
import { exportJsonSchema } from './format.ts';
import { readExportFile, RESTORE_UPLOAD, restoreTenant } from './restore.ts';

const operator: Principal = {
	userId: 'operator-1',
	email: 'operator@mamori.example',
	displayName: '運営 太郎',
	isOperator: true,
	memberships: [],
	prefectures: []
};

const docsSchema = fileURLToPath(new URL('../../../../docs/export-format.schema.json', import.meta.url));

/** What the operator uploads: the file as a browser sends it. */
const upload = (content: string | Uint8Array, name = 'city.json') =>
	new File([content as BlobPart], name, { type: 'application/octet-stream' });

describe('city export and restore (real sqld)', () => {
	let core: CoreDb;
	const directory = sqldDirectory();
	const cities: Record<string, { db: TenantDb; tenant: TenantTarget }> = {};
	const targets = { meguro: '132012', koganei: '132021', tomakomai: '011002' } as const;
	const spare = { meguro: '131016', koganei: '131024', tomakomai: '012025' } as const;

	beforeAll(async () => {
		const location = await seededCore();
		core = openCore(location);
		await core
			.insert(users)
			.values({ id: operator.userId, email: operator.email, displayName: operator.displayName, isOperator: true });
		for (const slug of ['meguro', 'koganei', 'tomakomai'] as const) {
			const seeded = await seededCity(slug, { core: location });
			cities[slug] = { db: seeded.db, tenant: { ...seeded.tenant, status: 'active' } };
		}
	}, 120_000);

	afterAll(() => {
		core.$client.close();
		for (const city of Object.values(cities)) city.db.$client.close();
	});

	const exported = (slug: string) =>
		exportCityJson({ ctx: testContext({ db: cities[slug]!.db, core, tenant: cities[slug]!.tenant }), input: {} });

	const restore = (file: File, input: Record<string, unknown> = {}) =>
		restoreTenant({
			ctx: coreContext({ core, principal: operator }),
			directory,
			input: {
				municipalityCode: '132012',
				slug: uniqueName('restored'),
				adminEmail: 'admin@restored.example',
				file,
				...input
			}
		});

	const reExport = async (slug: string) => {
		const [row] = await core.select().from(tenants).where(eq(tenants.slug, slug));
		const db = openTenant({ url: row!.databaseUrl });
		try {
			return exportText(await readCity(db.$client));
		} finally {
			db.$client.close();
		}
	};

	for (const slug of ['meguro', 'koganei', 'tomakomai'] as const) {
		it(`${slug}: export, restore into a new tenant, export again gives the same JSON (ids included), from JSON and from SQLite`, async () => {
			const json = await exported(slug);
			const document = JSON.parse(json) as { tables: Record<string, unknown[]> };
			expect(document.tables.initiatives!.length).toBeGreaterThan(5);
			expect(document.tables.auditLog!.length).toBeGreaterThan(0);
			expect(new TextEncoder().encode(json).byteLength).toBeLessThan(RESTORE_UPLOAD.maxBytes / 10);

			const fromJson = await restore(upload(json), { municipalityCode: targets[slug] });
			expect(fromJson).toMatchObject({ source: 'json' });
			expect(await reExport(fromJson.tenant.slug)).toBe(json);

			// The SQLite file is restored into another city (the first one now holds the municipality).
			const sqlite = await exportCitySqlite({
				ctx: testContext({ db: cities[slug]!.db, core, tenant: cities[slug]!.tenant }),
				input: {}
			});
			expect(new TextDecoder().decode(sqlite.subarray(0, 15))).toBe('SQLite format 3');
			// Any SQLite opens it: here Node's own (a build of SQLite unrelated to sql.js or libSQL).
			const file = join(mkdtempSync(join(tmpdir(), 'mamori-export-')), 'city.sqlite');
			writeFileSync(file, sqlite);
			const opened = new DatabaseSync(file, { readOnly: true });
			expect(opened.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
			expect(opened.prepare('SELECT count(*) AS n FROM initiatives').get()).toEqual({
				n: document.tables.initiatives!.length
			});
			opened.close();
			const fromSqlite = await restore(upload(sqlite, 'city.sqlite'), { municipalityCode: spare[slug] });
			expect(fromSqlite).toMatchObject({ source: 'sqlite', rows: fromJson.rows });
			expect(await reExport(fromSqlite.tenant.slug)).toBe(json);

			const [recorded] = await core
				.select()
				.from(tenantRestores)
				.where(eq(tenantRestores.tenantId, fromSqlite.tenant.id));
			expect(recorded).toMatchObject({
				restoredBy: operator.userId,
				source: 'sqlite',
				fileName: 'city.sqlite',
				formatVersion: 1
			});
			expect(recorded!.fileSha256).toMatch(/^[0-9a-f]{64}$/);
		}, 120_000);
	}

	it('publishes the JSON Schema generated from the format (docs/export-format.schema.json is the same)', () => {
		expect(JSON.parse(readFileSync(docsSchema, 'utf8'))).toEqual(exportJsonSchema());
	});

	async function refused(file: File): Promise<string> {
		const before = await Promise.all([
			core.select({ n: count() }).from(tenants),
			core.select({ n: count() }).from(tenantRestores)
		]);
		const error = await restore(file, { municipalityCode: '132039' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(InvalidError);
		const after = await Promise.all([
			core.select({ n: count() }).from(tenants),
			core.select({ n: count() }).from(tenantRestores)
		]);
		expect(after).toEqual(before);
		return worded((error as InvalidError).issues).file!;
	}

	it('refuses a bad file with a located message, writing nothing', async () => {
		const json = await exported('koganei');
		const document = JSON.parse(json) as { formatVersion: number; tables: Record<string, Record<string, unknown>[]> };

		expect(await refused(upload('{\n\t"format": "mamori-city-export",\n\t"formatVersion": 1,\n}'))).toBe(
			'ファイルを JSON として読めません（4 行目 1 文字目）。'
		);
		expect(await refused(upload('%PDF-1.7 ...'))).toBe('ファイルを JSON として読めません（1 行目 1 文字目）。');
		expect(await refused(upload(new Uint8Array([0xff, 0xfe, 0x00, 0x7b])))).toMatch(/^ファイルを読めません。/);
		expect(await refused(upload('{"rows": []}'))).toMatch(/^Mamori の書き出しファイルではありません/);
		expect(await refused(upload(JSON.stringify({ ...document, formatVersion: 2 })))).toBe(
			'このファイルの形式のバージョン（2）には対応していません。対応しているのはバージョン 1 です。'
		);

		const broken = structuredClone(document);
		broken.tables.initiatives![3]!.nodeId = 'no-such-node';
		expect(await refused(upload(JSON.stringify(broken)))).toBe(
			'ファイルの tables.initiatives[3].nodeId が指す行（no-such-node）が tables.planNodes にありません。'
		);
		const duplicate = structuredClone(document);
		duplicate.tables.departments![1]!.id = duplicate.tables.departments![0]!.id;
		expect(await refused(upload(JSON.stringify(duplicate)))).toMatch(
			/^ファイルの tables\.departments\[1\]\.id（.+）が、同じ表の別の行と重なっています。$/
		);
		const wrongValue = structuredClone(document);
		wrongValue.tables.metrics![0]!.value = '12';
		expect(await refused(upload(JSON.stringify(wrongValue)))).toBe(
			'ファイルの tables.metrics[0].value の値が形式に合いません。'
		);
		const missing = structuredClone(document);
		delete missing.tables.plans![0]!.title;
		expect(await refused(upload(JSON.stringify(missing)))).toBe('ファイルの tables.plans[0].title がありません。');
		const extra = structuredClone(document);
		extra.tables.plans![0]!.colour = 'red';
		expect(await refused(upload(JSON.stringify(extra)))).toBe(
			'ファイルの tables.plans[0] に、この形式にない項目があります：colour。'
		);
		expect(
			await refused(upload(new Uint8Array([...new TextEncoder().encode('SQLite format 3\0'), 1, 2, 3]), 'x.sqlite'))
		).toMatch(/^SQLite データベースとして開けません/);
		expect(await refused(upload(new Uint8Array(RESTORE_UPLOAD.maxBytes + 1)))).toBe(
			'ファイルが大きすぎます（上限 10 MB）。Mamori が書き出したファイルか確かめてください。'
		);
		expect(await refused(upload(''))).toBe('復元するファイルを選んでください。');
	});

	it('refuses an SQLite file that is not a Mamori export, lacks a table, or breaks a reference, writing nothing', async () => {
		const city = cities.koganei!;
		const sqlite = await exportCitySqlite({ ctx: testContext({ db: city.db, core, tenant: city.tenant }), input: {} });
		const dir = mkdtempSync(join(tmpdir(), 'mamori-export-'));
		/** The export changed by `change` in another SQLite (Node's own), as a city might in a tool. */
		const edited = (name: string, change: (db: DatabaseSync) => void) => {
			const file = join(dir, name);
			writeFileSync(file, sqlite);
			const db = new DatabaseSync(file, { enableForeignKeyConstraints: false });
			change(db);
			db.close();
			return upload(readFileSync(file), name);
		};
		expect(await refused(edited('other.sqlite', (db) => db.exec('PRAGMA application_id = 0')))).toBe(
			'Mamori が書き出した SQLite ファイルではありません。'
		);
		expect(await refused(edited('v2.sqlite', (db) => db.exec('PRAGMA user_version = 2')))).toBe(
			'このファイルの形式のバージョン（2）には対応していません。対応しているのはバージョン 1 です。'
		);
		expect(await refused(edited('no-metrics.sqlite', (db) => db.exec('DROP TABLE metrics')))).toBe(
			'SQLite ファイルに表 metrics がありません。'
		);
		const [firstNode] = (await city.db.$client.execute('SELECT id FROM plan_nodes ORDER BY id LIMIT 1')).rows.map((r) =>
			String(r.id)
		);
		const message = await refused(
			edited('no-node.sqlite', (db) => db.prepare('DELETE FROM plan_nodes WHERE id = ?').run(firstNode!))
		);
		expect(message).toMatch(/^ファイルの tables\.\w+\[\d+\]\.\w+ が指す行（.+）が tables\.planNodes にありません。$/);
	});

	it('checks the new tenant as subscribing does: a municipality already subscribed is refused before anything is written', async () => {
		const json = await exported('meguro');
		const error = await restore(upload(json), { municipalityCode: '131105' }).catch((e: unknown) => e);
		expect(worded((error as InvalidError).issues)).toEqual({ municipalityCode: 'この自治体はすでに参加しています。' });
	});

	it('only an operator restores, only a city admin exports', async () => {
		const json = await exported('meguro');
		const viewer: Principal = { ...operator, isOperator: false };
		await expect(
			restoreTenant({ ctx: coreContext({ core, principal: viewer }), directory, input: { file: upload(json) } })
		).rejects.toBeInstanceOf(AccessDeniedError);
		const city = cities.meguro!;
		const member = (role: 'viewer' | 'editor' | 'admin'): Principal => ({
			...viewer,
			memberships: [{ tenantId: city.tenant.id, tenantSlug: 'meguro', tenantName: '目黒区', role, departmentIds: null }]
		});
		const { tenantContext } = await import('../context.ts');
		const as = (role: 'viewer' | 'editor' | 'admin') =>
			exportCityJson({
				ctx: tenantContext({ db: city.db, core, tenant: city.tenant, principal: member(role) }),
				input: {}
			});
		await expect(as('editor')).rejects.toBeInstanceOf(AccessDeniedError);
		await expect(as('admin')).resolves.toBe(json);
	});

	it('reads back what it writes, whatever the file kind', async () => {
		const json = await exported('tomakomai');
		const { document, source } = await readExportFile(new TextEncoder().encode(json));
		expect(source).toBe('json');
		expect(exportText(document)).toBe(json);
	});
});
