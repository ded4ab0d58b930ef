// Corrections without loss (real sqld, 小金井市 seed): a yearly record edited, deleted and
// restored; metrics added, edited and removed one by one; KPI values edited and deleted; an
// initiative brought back to any earlier version. Each change is audited, and a stale one is a
// conflict carrying what is saved now.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type TenantDb } from '@mamori/db';
import { metrics, yearlyRecords } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import {
	addMetric,
	addYearlyRecord,
	ConflictError,
	createKpi,
	deleteKpiValue,
	deleteMetric,
	deleteYearlyRecord,
	listHistory,
	readInitiative,
	readKpi,
	readPlanOverview,
	restoreVersion,
	restoreYearlyRecord,
	listDeletedRecords,
	setKpiValue,
	updateInitiative,
	updateKpiValue,
	updateMetric,
	updateYearlyRecord,
	type TenantContext
} from '../index.ts';

describe('corrections of records, metrics, KPI values and initiatives', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let initiativeId: string;
	let recordId: string;
	const record = async () =>
		(await readInitiative({ ctx, input: { id: initiativeId } })).records.find((r) => r.id === recordId);
	const history = () => listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } });

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		ctx = testContext({ db, core: openCore(city.core), actor: { id: 'u', name: '地域安全課 山田' } });
		initiativeId = (await readPlanOverview({ ctx, input: { q: 'CoCoパトロール隊' } })).initiatives[0]!.id;
		({ id: recordId } = await addYearlyRecord({
			ctx,
			input: { initiativeId, fiscalYear: '2023', phase: 'plan', text: '・巡回 500回（予定）', metrics: [] }
		}));
	});

	it('edits a yearly record, audited with what it was; a stale edit is refused with what is saved now', async () => {
		const before = (await record())!;
		await updateYearlyRecord({
			ctx,
			input: { id: recordId, version: before.version, fiscalYear: '2023', phase: 'actual', text: '・巡回 512回' }
		});
		const after = (await record())!;
		expect(after).toMatchObject({ phase: 'actual', text: '・巡回 512回', version: before.version + 1 });
		const [entry] = await history();
		expect(entry).toMatchObject({ action: 'update', actorName: '地域安全課 山田' });
		expect((entry!.before as { record: { text: string } }).record.text).toBe('・巡回 500回（予定）');
		expect((entry!.after as { record: { text: string } }).record.text).toBe('・巡回 512回');

		const stale = await updateYearlyRecord({
			ctx,
			input: { id: recordId, version: before.version, fiscalYear: '2023', phase: 'plan', text: '古い画面から' }
		}).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ text: string }>).current.text).toBe('・巡回 512回');
	});

	it('adds any number of metrics, edits one and removes another, each audited', async () => {
		const entries = (await history()).length;
		const { id: first } = await addMetric({ ctx, input: { recordId, label: '巡回回数', value: '５１２', unit: '回' } });
		const { id: second } = await addMetric({ ctx, input: { recordId, label: '参加者数', value: '1,204', unit: '人' } });
		await addMetric({
			ctx,
			input: {
				recordId,
				label: '加入登録数',
				value: '12500',
				unit: '人',
				indicatorCode: 'alert_mail_subscribers',
				stockFlow: 'stock'
			}
		});
		expect((await record())!.metrics.map((m) => [m.label, m.value])).toEqual([
			['巡回回数', 512],
			['参加者数', 1204],
			['加入登録数', 12500]
		]);
		const m1 = (await record())!.metrics.find((m) => m.id === first)!;
		await updateMetric({ ctx, input: { id: first, version: m1.version, label: '巡回回数', value: '520', unit: '回' } });
		const m2 = (await record())!.metrics.find((m) => m.id === second)!;
		await deleteMetric({ ctx, input: { id: second, version: m2.version } });
		expect((await record())!.metrics.map((m) => [m.label, m.value])).toEqual([
			['巡回回数', 520],
			['加入登録数', 12500]
		]);
		expect((await history()).length).toBe(entries + 5);
		// Removing it again from the old page: it is gone.
		await expect(deleteMetric({ ctx, input: { id: second, version: m2.version } })).rejects.toMatchObject({
			code: 'not_found'
		});
		// Editing from a page loaded before the edit: refused with the metric as saved now.
		const stale = await updateMetric({
			ctx,
			input: { id: first, version: m1.version, label: 'x', value: '1', unit: '回' }
		}).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ value: number }>).current.value).toBe(520);
	});

	it('deletes a yearly record softly and restores it with its metrics', async () => {
		const before = (await record())!;
		await deleteYearlyRecord({ ctx, input: { id: recordId, version: before.version } });
		expect(await record()).toBeUndefined();
		const [row] = await db.select().from(yearlyRecords).where(eq(yearlyRecords.id, recordId));
		expect(row!.deletedAt).not.toBeNull(); // kept, not erased
		expect((await history())[0]).toMatchObject({ action: 'delete' });
		expect((await listDeletedRecords({ ctx, input: { id: initiativeId } })).map((r) => r.id)).toContain(recordId);
		await restoreYearlyRecord({ ctx, input: { id: recordId } });
		expect((await record())!.metrics).toHaveLength(2);
		expect((await listDeletedRecords({ ctx, input: { id: initiativeId } })).map((r) => r.id)).not.toContain(recordId);
		expect((await history())[0]).toMatchObject({ action: 'restore' });
		await expect(restoreYearlyRecord({ ctx, input: { id: recordId } })).rejects.toMatchObject({ code: 'not_found' });
	});

	it('a record edited while its metric is deleted elsewhere: the delete is refused, not lost', async () => {
		const m = (await record())!.metrics[0]!;
		await db
			.update(metrics)
			.set({ version: m.version + 1, value: 9 })
			.where(eq(metrics.id, m.id));
		const error = await deleteMetric({ ctx, input: { id: m.id, version: m.version } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConflictError);
		expect((error as ConflictError<{ value: number }>).current.value).toBe(9);
		expect((await record())!.metrics.some((x) => x.id === m.id)).toBe(true);
	});

	it('edits and deletes KPI values', async () => {
		const nodeId = (await readPlanOverview({ ctx, input: {} })).nodes[0]!.id;
		const { id } = await createKpi({
			ctx,
			input: { nodeId, name: '防犯パトロール実施回数', unit: '回', direction: 'higher', baselineValue: '400' }
		});
		await setKpiValue({ ctx, input: { indicatorId: id, periodKind: 'fiscal_year', periodYear: '2023', value: '500' } });
		const first = (await readKpi({ ctx, input: { id } })).values[0]!;
		await setKpiValue({
			ctx,
			input: { indicatorId: id, periodKind: 'fiscal_year', periodYear: '2023', value: '512', version: first.version }
		});
		const edited = (await readKpi({ ctx, input: { id } })).values[0]!;
		expect(edited).toMatchObject({ value: 512, version: first.version + 1 });
		const stale = await deleteKpiValue({
			ctx,
			input: { id: edited.id, version: first.version, indicatorId: id }
		}).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		await deleteKpiValue({ ctx, input: { id: edited.id, version: edited.version, indicatorId: id } });
		expect((await readKpi({ ctx, input: { id } })).values).toEqual([]);
		const [entry] = await listHistory({ ctx, input: { entity: 'indicator', entityId: id } });
		expect(entry).toMatchObject({ action: 'delete', before: { periodYear: 2023, value: 512 } });
	});

	it('a record with metrics moves to another year with its metrics; history says it in words', async () => {
		const before = (await record())!;
		expect(before.metrics.length).toBeGreaterThan(0);
		await updateYearlyRecord({
			ctx,
			input: { id: recordId, version: before.version, fiscalYear: '令和6', phase: 'actual', text: before.text }
		});
		const after = (await record())!;
		expect(after.fiscalYear).toBe(2024);
		expect(after.metrics.every((m) => m.periodYear === 2024)).toBe(true);
		const [entry] = await history();
		expect(entry!.record).toMatchObject({ fiscalYear: 2024, phase: 'actual' });
		expect(entry!.changes).toEqual([
			{
				field: 'fiscalYear',
				before: { year: 2023, periodKind: 'fiscal_year' },
				after: { year: 2024, periodKind: 'fiscal_year' }
			}
		]);
		const m = after.metrics[0]!;
		await updateMetric({ ctx, input: { id: m.id, version: m.version, label: m.label, value: '600', unit: m.unit } });
		const [metricEntry] = await history();
		expect(metricEntry!.changes).toEqual([
			{
				field: 'metric',
				before: { amount: m.value, unit: m.unit, label: m.label },
				after: { amount: 600, unit: m.unit, label: m.label }
			}
		]);
	});

	it('corrects a KPI value under its own KPI only; one value per period; history with its unit', async () => {
		const nodeId = (await readPlanOverview({ ctx, input: {} })).nodes[0]!.id;
		const { id } = await createKpi({ ctx, input: { nodeId, name: '見守り登録者数', unit: '人', direction: 'higher' } });
		const { id: other } = await createKpi({ ctx, input: { nodeId, name: '別の指標', unit: '件', direction: 'lower' } });
		for (const year of ['2022', '2023'])
			await setKpiValue({ ctx, input: { indicatorId: id, periodKind: 'fiscal_year', periodYear: year, value: '100' } });
		const [v2022, v2023] = (await readKpi({ ctx, input: { id } })).values;
		const base = { id: v2023!.id, version: v2023!.version, periodKind: 'fiscal_year', status: 'final' };
		await expect(
			updateKpiValue({ ctx, input: { ...base, indicatorId: other, periodYear: '2023', value: '1' } })
		).rejects.toMatchObject({ code: 'not_found' });
		await expect(
			deleteKpiValue({ ctx, input: { id: v2023!.id, version: v2023!.version, indicatorId: other } })
		).rejects.toMatchObject({ code: 'not_found' });
		await expect(
			updateKpiValue({ ctx, input: { ...base, indicatorId: id, periodYear: '2022', value: '1' } })
		).rejects.toMatchObject({ code: 'invalid' });
		await updateKpiValue({
			ctx,
			input: { ...base, indicatorId: id, periodYear: '令和6', value: '1,250', status: 'provisional' }
		});
		const values = (await readKpi({ ctx, input: { id } })).values;
		expect(values.map((v) => [v.periodYear, v.value, v.status])).toEqual([
			[2022, 100, 'final'],
			[2024, 1250, 'provisional']
		]);
		expect(v2022!.id).toBe(values[0]!.id);
		const [entry] = await listHistory({ ctx, input: { entity: 'indicator', entityId: id } });
		expect(entry!.changes).toEqual([
			{
				field: 'valuePeriod',
				before: { year: 2023, periodKind: 'fiscal_year' },
				after: { year: 2024, periodKind: 'fiscal_year' }
			},
			{
				field: 'value',
				period: { year: 2024, periodKind: 'fiscal_year' },
				before: { amount: 100, unit: '人' },
				after: { amount: 1250, unit: '人' }
			},
			{
				field: 'status',
				period: { year: 2024, periodKind: 'fiscal_year' },
				before: { status: 'final' },
				after: { status: 'provisional' }
			}
		]);
	});

	it('restores any earlier version of an edited initiative, through its history', async () => {
		const original = await readInitiative({ ctx, input: { id: initiativeId } });
		const base = {
			id: initiativeId,
			departmentIds: original.departments.map((d) => d.id),
			categoryCodes: original.categoryCodes
		};
		await updateInitiative({ ctx, input: { ...base, version: original.initiative.version, title: '二度目の題名' } });
		await updateInitiative({
			ctx,
			input: { ...base, version: original.initiative.version + 1, title: '三度目の題名' }
		});
		const edits = (await history()).filter(
			(e) => e.action === 'update' && (e.before as { title?: string } | null)?.title
		);
		const firstEdit = edits.at(-1)!; // the oldest edit replaced the original version
		expect(edits.every((e) => e.restorable)).toBe(true);
		expect(firstEdit.changes).toContainEqual({
			field: 'initiativeTitle',
			before: { text: original.initiative.title },
			after: { text: '二度目の題名' }
		});
		expect((firstEdit.before as { title: string }).title).toBe(original.initiative.title);
		await restoreVersion({
			ctx,
			input: { id: initiativeId, entryId: firstEdit.id, version: String(original.initiative.version + 2) }
		});
		const now = await readInitiative({ ctx, input: { id: initiativeId } });
		expect(now.initiative).toMatchObject({
			title: original.initiative.title,
			version: original.initiative.version + 3
		});
		expect(now.categoryCodes).toEqual(original.categoryCodes);
		expect((await history())[0]).toMatchObject({ action: 'restore', after: { title: original.initiative.title } });
		// From a page that saw an older version: a conflict with what is saved now.
		const stale = await restoreVersion({
			ctx,
			input: { id: initiativeId, entryId: firstEdit.id, version: original.initiative.version }
		}).catch((e: unknown) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ version: number }>).current.version).toBe(original.initiative.version + 3);
	});
});
