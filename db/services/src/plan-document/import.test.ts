// The document import against a real sqld. 小金井市's document imported into a city without a
// plan stores the same plan as the seed loader stored from seeds/cities/koganei.yaml (ids and the
// suggested categories aside); into a city that has a plan (目黒区's document into 小金井市's
// database) it adds after the city's own nodes with the user's corrections; a proposal with a
// problem is answered with the problem on its line and writes nothing.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import { migrateTenantDatabase } from '@mamori/db/node';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { seededCity, seedsDir } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { ConflictError } from '../errors.ts';
import { confirmDocumentImport, previewDocumentImport } from './import.ts';

const documentText = (file: string) => readFileSync(`${seedsDir}/source-documents/${file}`, 'utf8');
const KOGANEI = '003_1ed67404a1eddd69.txt';
const MEGURO = '000_546816122e62cbb9.txt';

/** Every row of every table, to compare before and after. */
async function dumpTenant(db: TenantDb): Promise<Record<string, string>> {
	const tables = await db.$client.execute(
		"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%drizzle%' order by name"
	);
	const out: Record<string, string> = {};
	for (const { name } of tables.rows)
		out[String(name)] = JSON.stringify((await db.$client.execute(`select * from "${String(name)}" order by 1`)).rows);
	return out;
}

/** The plan as stored, by what it says (titles, names, years, numbers), not by its ids. */
async function stored(db: TenantDb) {
	const q = async (sql: string) => (await db.$client.execute(sql)).rows.map((r) => ({ ...r }));
	return {
		plan: await q(
			'select title, kind, period_start, period_end, level_labels, initiative_label, record_columns from plans'
		),
		departments: await q(
			'select d.name, p.name as parent from departments d left join departments p on p.id = d.parent_id order by d.position'
		),
		nodes: await q(
			'select n.code, n.title, n.subtitle, n.summary, n.current_state, n.related_plans, n.record_columns, n.position, p.title as parent from plan_nodes n left join plan_nodes p on p.id = n.parent_id order by p.position, n.position'
		),
		initiatives: await q(
			`select n.title as node, i.code, i.title, i.description, i.plan_ref, i.department_note, i.position,
			 (select group_concat(name, '|') from (select d.name from initiative_departments x join departments d on d.id = x.department_id where x.initiative_id = i.id order by x.position)) as departments
			 from initiatives i join plan_nodes n on n.id = i.node_id order by n.title, i.position`
		),
		records: await q(
			`select i.title as initiative, r.fiscal_year, r.phase, d.name as department, r.text, r.position from yearly_records r
			 join initiatives i on i.id = r.initiative_id left join departments d on d.id = r.department_id order by i.title, r.position`
		),
		metrics: await q(
			`select i.title as initiative, r.position as record, m.value, m.unit, m.period_kind, m.period_year, m.status, m.approximate, m.cumulative, m.position
			 from metrics m join yearly_records r on r.id = m.record_id join initiatives i on i.id = r.initiative_id order by i.title, r.position, m.position`
		),
		indicators: await q(
			'select k.name, k.unit, k.direction, k.baseline_value, k.baseline_text, k.baseline_period_kind, k.baseline_year, k.target_value, k.target_text, k.target_period_kind, k.target_year from indicators k order by k.name'
		),
		statistics: await q('select value, unit, period_kind, period_year from node_statistics order by value')
	};
}

describe('document import (real sqld)', () => {
	let seeded: { db: TenantDb; core: CoreDb };
	let empty: TenantDb;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		seeded = { db: city.db, core: openCore(city.core) };
		const location = await sqldDirectory().ensure(uniqueName('document-import'));
		await migrateTenantDatabase(location);
		empty = openTenant(location);
	});

	it('小金井市 into a city without a plan: what is stored equals what the seed loader stored', async () => {
		const ctx = testContext({ db: empty, core: seeded.core });
		const preview = await previewDocumentImport({ ctx, input: { text: documentText(KOGANEI) } });
		expect(preview.problems).toEqual([]);
		expect(preview.counts).toEqual({ nodes: 10, initiatives: 25, records: 77, indicators: 0, unplaced: 0 });
		const result = await confirmDocumentImport({ ctx, input: { text: preview.text } });
		expect(result).toEqual({ status: 'imported', counts: preview.counts });
		const [mine, seed] = [await stored(empty), await stored(seeded.db)];
		expect(mine).toEqual(seed);
		const audit = await empty.$client.execute("select action, entity from audit_log where action = 'import'");
		expect(audit.rows.map((r) => ({ ...r }))).toEqual([{ action: 'import', entity: 'plan' }]);
	});

	it('a confirmation sent twice (a retry after an unknown outcome) imports once', async () => {
		const location = await sqldDirectory().ensure(uniqueName('document-twice'));
		await migrateTenantDatabase(location);
		const db = openTenant(location);
		const ctx = testContext({ db, core: seeded.core });
		const preview = await previewDocumentImport({ ctx, input: { text: documentText(MEGURO) } });
		expect(preview.key).toMatch(/^[0-9a-f-]{36}$/);
		const confirmation = { text: preview.text, key: preview.key };
		expect((await confirmDocumentImport({ ctx, input: confirmation })).status).toBe('imported');
		const once = await dumpTenant(db);
		await expect(confirmDocumentImport({ ctx, input: confirmation })).rejects.toBeInstanceOf(ConflictError);
		expect(await dumpTenant(db)).toEqual(once);
		// Another preview is another confirmation: it may import the same text again.
		const again = await previewDocumentImport({ ctx, input: { text: documentText(MEGURO) } });
		expect(again.key).not.toBe(preview.key);
	});

	it('目黒区 into 小金井市: corrections applied, nodes after the city’s own; a problem writes nothing', async () => {
		const ctx = testContext({ db: seeded.db, core: seeded.core });
		const preview = await previewDocumentImport({
			ctx,
			input: { file: new File([documentText(MEGURO)], 'meguro.md') }
		});
		const [first] = preview.proposal.nodes;
		const [a, b, c] = first!.initiatives;
		// The preview form sends every kept row's box; here all but the second initiative and the
		// second KPI, with a renamed node, a department typed in, and categories chosen.
		const values: Record<string, string> = { text: preview.text, corrected: '1' };
		const keepAll = (nodes: typeof preview.proposal.nodes) =>
			nodes.forEach((n) => {
				n.initiatives.forEach((i) => {
					values[`keep:${i.key}`] = 'on';
					i.categories.forEach((s) => (values[`cat:${i.key}:${s.code}`] = 'on'));
				});
				n.indicators.forEach((k) => (values[`keep:${k.key}`] = 'on'));
				keepAll(n.children);
			});
		keepAll(preview.proposal.nodes);
		delete values[`keep:${b!.key}`];
		delete values[`keep:${first!.indicators[1]!.key}`];
		values[`title:${first!.key}`] = '日常生活における犯罪被害の防止（文書から）';
		values[`dept:${a!.key}`] = '地域安全課、文書で足した課';
		for (const s of c!.categories) delete values[`cat:${c!.key}:${s.code}`];
		values[`catadd:${c!.key}`] = 'bicycle_theft';

		// First with a problem: an initiative left without any category. Nothing is written.
		const before = await dumpTenant(seeded.db);
		const refused = await confirmDocumentImport({ ctx, input: { ...values, [`catadd:${c!.key}`]: '' } });
		expect(refused.status).toBe('problems');
		if (refused.status !== 'problems') throw new Error('problems expected');
		expect(refused.preview.problems).toEqual([{ line: c!.line, reason: { key: 'validation_category_required' } }]);
		expect(await dumpTenant(seeded.db)).toEqual(before);

		const result = await confirmDocumentImport({ ctx, input: values });
		expect(result).toMatchObject({ status: 'imported', counts: { nodes: 4, initiatives: 12, indicators: 8 } });
		const nodes = await seeded.db.$client.execute(
			'select title, position from plan_nodes where parent_id is null order by position'
		);
		expect(nodes.rows.map((r) => r.title)).toEqual([
			'日常生活における安全安心の確保',
			'市民の防犯意識づくり',
			'地域における防犯ネットワークづくり',
			'犯罪を起こさせないまちづくり',
			'日常生活における犯罪被害の防止（文書から）',
			'地域防犯ボランティアの活動促進',
			'防犯設備の整備促進',
			'消費者啓発と被害防止'
		]);
		const ini = async (title: string) =>
			(
				await seeded.db.$client.execute({
					sql: `select (select group_concat(name, '|') from (select d.name from initiative_departments x join departments d on d.id = x.department_id where x.initiative_id = i.id order by x.position)) as depts,
					 (select group_concat(category_code, '|') from (select category_code from initiative_categories where initiative_id = i.id order by position)) as cats from initiatives i where i.title = ?`,
					args: [title]
				})
			).rows.map((r) => ({ ...r }));
		expect(await ini(a!.title)).toEqual([
			{ depts: '地域安全課|文書で足した課', cats: a!.categories.map((s) => s.code).join('|') }
		]);
		expect(await ini(b!.title)).toEqual([]);
		expect(await ini(c!.title)).toEqual([{ depts: null, cats: 'bicycle_theft' }]);
		// 地域安全課 is the city's own department (reused), 文書で足した課 new.
		const depts = await seeded.db.$client.execute("select count(*) as n from departments where name = '地域安全課'");
		expect(depts.rows[0]!.n).toBe(1);
	});
});
