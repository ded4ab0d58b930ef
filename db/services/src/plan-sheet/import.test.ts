// The plan's spreadsheet import against a real sqld (小金井市's seed): the prefilled template
// re-imported unchanged changes nothing; a sheet with every kind of error is refused with each
// error located and nothing written; a correct one is written in one batch, only the rows that
// changed; a change made between preview and confirm, or after the download, is a conflict.
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type TenantDb } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { AccessDeniedError, ConflictError, readInitiative, updateInitiative, type TenantContext } from '../index.ts';
import { readWorkbook, type Cell } from '../sheets/read.ts';
import { csvText, xlsxBytes } from '../sheets/write.ts';
import { confirmPlanImport, planTemplate, previewPlanImport, type PlanImportPreview } from './import.ts';
import { INITIATIVE_COLUMNS, RECORD_COLUMNS, readPlanSheets } from './layout.ts';
import { propose } from './proposal.ts';
import { readPlanState } from './state.ts';

const KEYS = { xls: 'x', unreadable: 'u' };

/** Every row of every table of the city's database, to compare before and after. */
export async function dumpTenant(db: TenantDb): Promise<Record<string, string>> {
	const tables = await db.$client.execute(
		"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%drizzle%' order by name"
	);
	const out: Record<string, string> = {};
	for (const { name } of tables.rows) {
		const rows = await db.$client.execute(`select * from "${String(name)}" order by 1`);
		out[String(name)] = JSON.stringify(rows.rows);
	}
	return out;
}

const changedTables = (a: Record<string, string>, b: Record<string, string>) =>
	Object.keys(b).filter((t) => a[t] !== b[t]);

type Sheets = { name: string; rows: Cell[][] }[];

async function template(ctx: TenantContext): Promise<Sheets> {
	const file = await planTemplate({ ctx, format: 'xlsx' });
	if (file.type !== 'xlsx') throw new Error('xlsx expected');
	return (await readWorkbook(file.bytes, KEYS)).map((s) => ({ name: s.name!, rows: s.rows }));
}

const upload = async (sheets: Sheets) => new File([(await xlsxBytes(sheets)) as BlobPart], 'plan.xlsx');
const col = (headers: Record<string, string>, key: string) => Object.values(headers).indexOf(headers[key]!);
const I = (key: keyof typeof INITIATIVE_COLUMNS) => col(INITIATIVE_COLUMNS, key);
const R = (key: keyof typeof RECORD_COLUMNS) => col(RECORD_COLUMNS, key);
const copy = (sheets: Sheets): Sheets => sheets.map((s) => ({ name: s.name, rows: s.rows.map((r) => [...r]) }));
const ready = (p: PlanImportPreview) => {
	if (p.status !== 'ready') throw new Error(`not ready: ${JSON.stringify(p.problems.slice(0, 5))}`);
	return p;
};

describe('plan spreadsheet import (real sqld, 小金井市 seed)', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let original: Sheets;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		ctx = testContext({ db, core: openCore(city.core) });
		original = await template(ctx);
	});

	it('the template holds every initiative and record, with ids; re-imported unchanged, it changes nothing', async () => {
		const [initiatives, records] = original;
		expect(initiatives!.rows[0]).toEqual(Object.values(INITIATIVE_COLUMNS));
		expect(initiatives!.rows.length).toBeGreaterThan(20);
		expect(records!.rows.length).toBeGreaterThan(20);
		const before = await dumpTenant(db);
		const preview = ready(await previewPlanImport({ ctx, input: { file: await upload(original) } }));
		expect(preview.changes).toEqual([]);
		expect(preview.unchanged.initiatives).toBe(initiatives!.rows.length - 1);
		const result = await confirmPlanImport({ ctx, input: { payload: preview.payload, digest: preview.digest } });
		expect(result).toEqual({ added: 0, changed: 0 });
		expect(changedTables(before, await dumpTenant(db))).toEqual([]);
	});

	it('the CSV templates (UTF-8 with BOM) re-imported unchanged change nothing', async () => {
		for (const format of ['initiatives', 'records'] as const) {
			const file = await planTemplate({ ctx, format });
			if (file.type !== 'csv') throw new Error('csv expected');
			expect(file.text.startsWith('\uFEFF')).toBe(true);
			const preview = ready(await previewPlanImport({ ctx, input: { file: new File([file.text], `${format}.csv`) } }));
			expect(preview.changes).toEqual([]);
		}
	});

	it('a sheet with every kind of error is refused, each error located, and nothing is written', async () => {
		const sheets = copy(original);
		const [ini, rec] = [sheets[0]!.rows, sheets[1]!.rows];
		ini[1]![I('title')] = null; // missing title
		ini[2]![I('departments')] = '存在しない課'; // unknown department
		ini[3]![I('id')] = '01JOTHERCITY0000000000000'; // an id of another city
		ini.push([null, null, 'no-such-node', null, null, '新しい取組', null, '地域安全課', null, 'patrol.official']); // a node that does not exist
		ini.push([ini[4]![I('id')]!, ...ini[4]!.slice(1)]); // the same initiative twice
		const recordRow = rec.findIndex((r, i) => i > 0 && r[R('value')] !== null);
		rec[1]![R('fiscalYear')] = '令和九十九'; // unreadable fiscal year
		rec[recordRow]![R('value')] = 'たくさん'; // text in a number column
		rec[2]![R('phase')] = '感想'; // unknown phase
		const before = await dumpTenant(db);
		const preview = await previewPlanImport({ ctx, input: { file: await upload(sheets) } });
		expect(preview.status).toBe('problems');
		if (preview.status !== 'problems') return;
		const located = preview.problems.map((p) => `${p.sheet} ${p.row} ${p.column} ${p.reason.key}`);
		const letter = (i: number) => String.fromCharCode(65 + i);
		expect(located).toEqual(
			expect.arrayContaining([
				`initiatives 2 ${letter(I('title'))} validation_required`,
				`initiatives 3 ${letter(I('departments'))} sheet_unknown_department`,
				`initiatives 4 ${letter(I('id'))} sheet_unknown_initiative`,
				`initiatives ${ini.length - 1} ${letter(I('nodeId'))} sheet_unknown_node`,
				`initiatives ${ini.length} ${letter(I('id'))} sheet_duplicate_id`,
				`records 2 ${letter(R('fiscalYear'))} validation_year_unreadable`,
				`records ${recordRow + 1} ${letter(R('value'))} validation_number`,
				`records 3 ${letter(R('phase'))} validation_phase`
			])
		);
		expect(preview.problems.find((p) => p.reason.key === 'sheet_unknown_department')?.reason.params).toEqual({
			name: '存在しない課'
		});
		expect(changedTables(before, await dumpTenant(db))).toEqual([]);
	});

	it('a changed cell updates only that row; an added row is added; all in one batch with history', async () => {
		const sheets = copy(original);
		const [ini, rec] = [sheets[0]!.rows, sheets[1]!.rows];
		const changedId = String(ini[1]![I('id')]);
		ini[1]![I('title')] = `${String(ini[1]![I('title')])}（改）`;
		const nodeId = ini[1]![I('nodeId')];
		ini.push([
			null,
			null,
			nodeId!,
			null,
			'X',
			'表計算で足した取組',
			'内容',
			'地域安全課、交通対策課',
			null,
			'patrol.official'
		]);
		const recordRow = rec.findIndex((r, i) => i > 0 && typeof r[R('value')] === 'number');
		const recordId = String(rec[recordRow]![R('id')]);
		rec[recordRow]![R('value')] = 12345;
		rec.push([null, null, changedId, 'R3', '予定', '地域安全課', '表計算で足した予定', '回数', '4', '回']);
		const before = await dumpTenant(db);
		const { version } = (await readInitiative({ ctx, input: { id: changedId } })).initiative;
		const preview = ready(await previewPlanImport({ ctx, input: { file: await upload(sheets) } }));
		expect(preview.changes.map((c) => `${c.sheet} ${c.kind} ${c.columns.join('/')}`).sort()).toEqual([
			'initiatives add ',
			'initiatives change 取組名',
			'records add ',
			'records change 数値'
		]);
		expect(changedTables(before, await dumpTenant(db))).toEqual([]);
		expect(await confirmPlanImport({ ctx, input: { payload: preview.payload, digest: preview.digest } })).toEqual({
			added: 2,
			changed: 2
		});
		const after = await dumpTenant(db);
		expect(changedTables(before, after).sort()).toEqual(
			[
				'audit_log',
				'initiative_categories',
				'initiative_departments',
				'initiatives',
				'metrics',
				'yearly_records'
			].sort()
		);
		const detail = await readInitiative({ ctx, input: { id: changedId } });
		expect(detail.initiative.title).toMatch(/（改）$/);
		expect(detail.initiative.version).toBe(version + 1);
		expect(detail.records.find((r) => r.text === '表計算で足した予定')).toMatchObject({
			fiscalYear: 2021,
			phase: 'plan'
		});
		const figures = (
			await db.$client.execute({ sql: 'select value from metrics where record_id = ?', args: [recordId] })
		).rows;
		expect(figures.map((f) => f.value)).toContain(12345);
		const audit = JSON.parse(after.audit_log!) as unknown[];
		expect(audit.length - (JSON.parse(before.audit_log!) as unknown[]).length).toBe(4);

		// The new template, re-imported unchanged, changes nothing: no duplicates of what was added.
		const again = ready(await previewPlanImport({ ctx, input: { file: await upload(await template(ctx)) } }));
		expect(again.changes).toEqual([]);
	});

	it('a row changed after the download is refused as stale; one changed after the preview is a conflict', async () => {
		const current = await template(ctx);
		// `original` was downloaded before the previous test changed its first initiative.
		const stale = copy(original);
		stale[0]!.rows[1]![I('description')] = '古いひな形からの変更';
		const refused = await previewPlanImport({ ctx, input: { file: await upload(stale) } });
		// Its first initiative and the record whose figure was changed: both stale in the old template.
		expect(refused.status === 'problems' && refused.problems.map((p) => `${p.sheet} ${p.reason.key}`)).toEqual([
			'initiatives sheet_stale_row',
			'records sheet_stale_row'
		]);

		const sheets = copy(current);
		sheets[0]!.rows[2]![I('description')] = 'プレビュー後に競合する変更';
		const preview = ready(await previewPlanImport({ ctx, input: { file: await upload(sheets) } }));
		const id = String(sheets[0]!.rows[2]![I('id')]);
		const saved = (await readInitiative({ ctx, input: { id } })).initiative;
		const detail = await readInitiative({ ctx, input: { id } });
		await updateInitiative({
			ctx,
			input: {
				id,
				version: saved.version,
				title: `${saved.title}（別の人）`,
				description: saved.description ?? '',
				departmentIds: detail.departments.map((d) => d.id),
				categoryCodes: detail.categoryCodes
			}
		});
		const before = await dumpTenant(db);
		const error = await confirmPlanImport({ ctx, input: { payload: preview.payload, digest: preview.digest } }).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ConflictError);
		expect(changedTables(before, await dumpTenant(db))).toEqual([]);
	});

	it("a department-limited editor may not import; the rows' own check refuses other departments' rows, located", async () => {
		const current = await template(ctx);
		const own = current[0]!.rows.findIndex((r, i) => i > 0 && String(r[I('departments')]).includes('地域安全課'));
		const other = current[0]!.rows.findIndex(
			(r, i) => i > 0 && !String(r[I('departments')] ?? '').includes('地域安全課')
		);
		const ownDepartment = (await db.$client.execute("select id from departments where name = '地域安全課'")).rows[0]!
			.id as string;
		const limited = testContext({
			db,
			core: ctx.core,
			authorize: (action, scope) => {
				if (action === 'plan.edit' && !scope?.departmentIds.includes(ownDepartment))
					throw new AccessDeniedError(action, 'forbidden');
			}
		});
		const sheets = copy(current);
		sheets[0]!.rows[own]![I('description')] = '自分の課の取組';
		sheets[0]!.rows[other]![I('description')] = 'ほかの課の取組';
		const before = await dumpTenant(db);
		await expect(previewPlanImport({ ctx: limited, input: { file: await upload(sheets) } })).rejects.toBeInstanceOf(
			AccessDeniedError
		);
		await expect(
			confirmPlanImport({ ctx: limited, input: { payload: '[]', digest: '0'.repeat(64) } })
		).rejects.toBeInstanceOf(AccessDeniedError);
		expect(changedTables(before, await dumpTenant(db))).toEqual([]);

		// Behind the whole-plan check, each row is authorised as on its own form.
		const state = await readPlanState(ctx);
		const { taxonomyCodes } = await ctx.shared();
		const rowsOf = (s: Sheets) => s.map((x) => ({ name: x.name, rows: x.rows }));
		const refused = propose(limited, readPlanSheets(rowsOf(sheets)), state, taxonomyCodes);
		expect(refused.problems.map((p) => `${p.row} ${p.reason.key}`)).toEqual([`${other + 1} sheet_forbidden_row`]);
		sheets[0]!.rows[other] = current[0]!.rows[other]!;
		const allowed = propose(limited, readPlanSheets(rowsOf(sheets)), state, taxonomyCodes);
		expect(allowed.problems).toEqual([]);
		expect(allowed.changes).toHaveLength(1);
	});

	it('files that are not the template are refused on the file field or as located problems', async () => {
		const csv = new File(
			[
				csvText([
					['a', 'b'],
					['1', '2']
				])
			],
			'x.csv'
		);
		const preview = await previewPlanImport({ ctx, input: { file: csv } });
		expect(preview.status === 'problems' && preview.problems[0]?.reason.key).toBe('sheet_no_header');
		const bytes = new File([new Uint8Array([0, 1, 2, 3, 0, 0])], 'x.bin');
		await expect(previewPlanImport({ ctx, input: { file: bytes } })).rejects.toMatchObject({
			issues: { file: { key: 'sheet_file_unreadable' } }
		});
	});
});
