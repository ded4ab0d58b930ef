import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { openCore, openTenant, type DatabaseLocation } from '@mamori/db';
import { migrateCore } from '@mamori/db/node';
import { seedAll, SeedError, tenantDatabaseName } from './seed.ts';

const seedsDir = fileURLToPath(new URL('../../../../seeds', import.meta.url));

type Row = Record<string, unknown>;

async function all(location: DatabaseLocation, query: string): Promise<Row[]> {
	const db = openTenant(location);
	try {
		const result = await db.$client.execute(query);
		return result.rows.map((r) => ({ ...r }));
	} finally {
		db.$client.close();
	}
}

/** Every row of every table, in a stable order: what "identical databases" means here. */
async function dump(location: DatabaseLocation): Promise<Record<string, Row[]>> {
	const tables = await all(
		location,
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	);
	const out: Record<string, Row[]> = {};
	for (const { name } of tables)
		out[String(name)] = await all(location, `SELECT * FROM "${String(name)}" ORDER BY 1, 2`);
	return out;
}

describe('seeding the three cities (real sqld)', () => {
	const directory = sqldDirectory();
	let core: DatabaseLocation;
	const tenantOf = (slug: string) => directory.locate(tenantDatabaseName(slug));

	beforeAll(async () => {
		core = await directory.ensure(uniqueName('seed-core'));
		await migrateCore(core);
		const summary = await seedAll({ core, directory, seedsDir });
		expect(summary.cities.map((c) => [c.slug, c.loaded])).toEqual([
			['koganei', true],
			['meguro', true],
			['tomakomai', true]
		]);
		expect(summary.core).toEqual({
			prefectures: 47,
			municipalities: 1741,
			categories: expect.any(Number),
			indicators: expect.any(Number)
		});
	}, 60_000);

	it('目黒区: 4 施策, 13 主な取組, 9 成果指標; 784台 → 2,400台 by 令和13年度末', async () => {
		const m = tenantOf('meguro');
		expect(await all(m, 'SELECT code FROM plan_nodes WHERE parent_id IS NULL ORDER BY position')).toHaveLength(4);
		expect(await all(m, 'SELECT id FROM initiatives')).toHaveLength(13);
		expect(await all(m, 'SELECT id FROM indicators')).toHaveLength(9);
		const [devices] = await all(m, 'SELECT * FROM indicators WHERE baseline_value = 784');
		expect(devices).toMatchObject({
			target_value: 2400,
			target_year: 2031,
			target_period_kind: 'fiscal_year',
			unit: '台'
		});
		const [cameras] = await all(m, "SELECT * FROM indicators WHERE target_text LIKE '%全団体整備%'");
		expect(cameras).toMatchObject({ target_value: 82 }); // the words keep their meaning: 82 町会・自治会
	});

	it('小金井市: 4 主要な施策, 6 sub-areas, 25 measures, each with 平成30年度 and 令和元年度 records', async () => {
		const k = tenantOf('koganei');
		expect(await all(k, 'SELECT id FROM plan_nodes WHERE parent_id IS NULL')).toHaveLength(4);
		expect(await all(k, 'SELECT id FROM plan_nodes WHERE parent_id IS NOT NULL')).toHaveLength(6);
		expect(await all(k, 'SELECT id FROM initiatives')).toHaveLength(25);
		const years = await all(
			k,
			'SELECT initiative_id, group_concat(DISTINCT fiscal_year) AS years FROM yearly_records GROUP BY initiative_id'
		);
		expect(years).toHaveLength(25);
		for (const y of years) expect(String(y.years).split(',').sort()).toEqual(['2018', '2019']);
		// The one empty 令和元年度 cell stays empty.
		const empty = await all(
			k,
			"SELECT i.title FROM yearly_records r JOIN initiatives i ON i.id = r.initiative_id WHERE r.text = ''"
		);
		expect(empty).toEqual([{ title: '空き家の適正な管理の推進' }]);
		const patrol = await all(
			k,
			`SELECT m.label, m.value, m.unit, m.indicator_code FROM metrics m JOIN yearly_records r ON r.id = m.record_id
			 WHERE r.fiscal_year = 2019 AND r.text LIKE '%パトロール回数 503回%' ORDER BY m.position`
		);
		expect(patrol).toEqual(
			expect.arrayContaining([
				{ label: 'パトロール回数', value: 503, unit: '回', indicator_code: 'patrol_runs' },
				{ label: '距離', value: 9344, unit: 'km', indicator_code: 'patrol_distance_km' }
			])
		);
	});

	it('苫小牧市: 6 groups, 37 取組事業 (7, 8, 1, 14, 3, 4), each with 令和5年度 and 令和6年度 and a 施策番号', async () => {
		const t = tenantOf('tomakomai');
		const perGroup = await all(
			t,
			'SELECT n.position, count(i.id) AS n FROM plan_nodes n LEFT JOIN initiatives i ON i.node_id = n.id WHERE n.parent_id IS NULL GROUP BY n.id ORDER BY n.position'
		);
		expect(perGroup.map((g) => Number(g.n))).toEqual([7, 8, 1, 14, 3, 4]);
		const records = await all(
			t,
			"SELECT i.id, group_concat(r.fiscal_year || ':' || r.phase) AS r FROM initiatives i JOIN yearly_records r ON r.initiative_id = i.id GROUP BY i.id"
		);
		expect(records).toHaveLength(37);
		for (const r of records) expect(String(r.r).split(',').sort()).toEqual(['2023:actual', '2024:plan']);
		expect(await all(t, "SELECT id FROM initiatives WHERE plan_ref IS NULL OR plan_ref = ''")).toEqual([]);
		expect(await all(t, "SELECT plan_ref FROM initiatives WHERE title = '防犯カメラの設置'")).toEqual([
			{ plan_ref: 'イ①' }
		]);
	});

	it('every initiative is mapped, and every taxonomy and indicator code a city uses exists in the core', async () => {
		const coreDb = openCore(core);
		const categories = new Set(
			(await coreDb.$client.execute('SELECT code FROM taxonomy_categories')).rows.map((r) => r.code)
		);
		const indicators = new Set(
			(await coreDb.$client.execute('SELECT code FROM shared_indicators')).rows.map((r) => r.code)
		);
		coreDb.$client.close();
		for (const slug of ['meguro', 'koganei', 'tomakomai']) {
			const db = tenantOf(slug);
			expect(
				await all(db, 'SELECT id FROM initiatives WHERE id NOT IN (SELECT initiative_id FROM initiative_categories)')
			).toEqual([]);
			for (const r of await all(db, 'SELECT DISTINCT category_code AS c FROM initiative_categories'))
				expect(categories).toContain(r.c);
			const used = await all(
				db,
				'SELECT indicator_code AS c FROM metrics WHERE indicator_code IS NOT NULL UNION SELECT shared_indicator_code FROM indicators WHERE shared_indicator_code IS NOT NULL'
			);
			for (const r of used) expect(indicators).toContain(r.c);
		}
	});

	it('every value carries its period and status', async () => {
		for (const slug of ['meguro', 'koganei', 'tomakomai']) {
			const missing = await all(
				tenantOf(slug),
				"SELECT id FROM metrics WHERE period_kind NOT IN ('fiscal_year', 'calendar_year') OR period_year IS NULL OR status IS NULL"
			);
			expect(missing).toEqual([]);
		}
		const kpis = await all(
			tenantOf('meguro'),
			'SELECT name FROM indicators WHERE baseline_period_kind IS NULL OR baseline_year IS NULL OR target_year IS NULL'
		);
		expect(kpis).toEqual([]);
		// Police counts are by calendar year.
		const [bicycles] = await all(
			tenantOf('meguro'),
			"SELECT baseline_period_kind FROM indicators WHERE shared_indicator_code = 'bicycle_thefts'"
		);
		expect(bicycles).toEqual({ baseline_period_kind: 'calendar_year' });
	});

	it('seeding twice leaves identical databases', async () => {
		const before = {
			core: await dump(core),
			meguro: await dump(tenantOf('meguro')),
			koganei: await dump(tenantOf('koganei')),
			tomakomai: await dump(tenantOf('tomakomai'))
		};
		const summary = await seedAll({ core, directory, seedsDir });
		expect(summary.cities.every((c) => !c.loaded)).toBe(true);
		const after = {
			core: await dump(core),
			meguro: await dump(tenantOf('meguro')),
			koganei: await dump(tenantOf('koganei')),
			tomakomai: await dump(tenantOf('tomakomai'))
		};
		expect(after).toEqual(before);
	}, 60_000);

	it('a bad seed file is refused before anything is written, naming file, line and path', async () => {
		const broken = mkdtempSync(join(tmpdir(), 'mamori-seeds-'));
		cpSync(seedsDir, broken, { recursive: true });
		const file = join(broken, 'cities', 'meguro.yaml');
		const lines = readFileSync(file, 'utf8').split('\n');
		const at = lines.findIndex((l) => /^\s+categories: \[patrol\.official\]$/.test(l)); // first initiative's
		expect(at).toBeGreaterThan(0);
		lines[at] = lines[at]!.replace('patrol.official', 'no_such_category');
		writeFileSync(file, lines.join('\n'));
		const freshCore = await directory.ensure(uniqueName('seed-bad'));
		await migrateCore(freshCore);
		const error = await seedAll({ core: freshCore, directory, seedsDir: broken }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SeedError);
		expect((error as Error).message).toMatch(
			new RegExp(
				`^meguro\\.yaml:${at + 1}: nodes\\.0\\.initiatives\\.0\\.categories\\.0: unknown taxonomy code no_such_category`
			)
		);
		const db = openCore(freshCore);
		const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM municipalities`);
		db.$client.close();
		expect(Number(rows[0]!.n)).toBe(0);
	});
});
