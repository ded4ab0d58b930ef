// History restores any earlier version (real sqld, 小金井市 seed): a node, a KPI, a yearly record
// with its metrics, the plan and a department are each edited twice and brought back to the first
// version from their history entry, recorded as 復元; a restore is itself restorable (undone), a
// stale one is a conflict, and an entry that holds no version (a creation) is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import {
	addMetric,
	addYearlyRecord,
	ConflictError,
	createKpi,
	deleteMetric,
	InvalidError,
	listDepartments,
	listHistory,
	listKpis,
	NotFoundError,
	readInitiative,
	readNode,
	readPlan,
	readPlanOverview,
	renameDepartment,
	restoreVersion,
	updateKpi,
	updateMetric,
	updateNode,
	updatePlan,
	updateYearlyRecord,
	type HistoryEntry,
	type TenantContext
} from '../index.ts';

describe('restoring an earlier version from the history', () => {
	let ctx: TenantContext;
	const newest = async (entity: string, entityId: string): Promise<HistoryEntry> =>
		(await listHistory({ ctx, input: { entity, entityId, limit: 1 } }))[0]!;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		ctx = testContext({ db: city.db, core: openCore(city.core), actor: { id: 'u', name: '地域安全課 山田' } });
	});

	it('a node: its code, title and summary come back; undoing the restore brings the edit back', async () => {
		const { nodes } = await readPlanOverview({ ctx, input: {} });
		const id = nodes[0]!.id;
		const { node } = await readNode({ ctx, input: { id } });
		await updateNode({ ctx, input: { id, version: node.version, code: 'X', title: '書き換えた施策', summary: '' } });
		const edit = await newest('node', id);
		expect(edit.restorable).toBe(true);
		await restoreVersion({ ctx, input: { id, entryId: edit.id, version: node.version + 1 } });
		expect((await readNode({ ctx, input: { id } })).node).toMatchObject({
			code: node.code,
			title: node.title,
			summary: node.summary,
			version: node.version + 2
		});
		const restore = await newest('node', id);
		expect(restore).toMatchObject({ action: 'restore', restorable: true });
		expect(restore.changes).toContainEqual({
			field: 'nodeTitle',
			before: { text: '書き換えた施策' },
			after: { text: node.title }
		});
		await restoreVersion({ ctx, input: { id, entryId: restore.id } });
		expect((await readNode({ ctx, input: { id } })).node.title).toBe('書き換えた施策');
	});

	it('a KPI: every field of its form comes back; a stale restore is a conflict with what is saved now', async () => {
		const { nodes } = await readPlanOverview({ ctx, input: {} });
		const { id: created } = await createKpi({
			ctx,
			input: {
				nodeId: nodes[0]!.id,
				name: '防犯メール登録者数',
				unit: '人',
				direction: 'higher',
				baselineValue: '1,000',
				baselineYear: '2020',
				targetValue: '2,000',
				targetYear: '2025'
			}
		});
		const kpi = (await listKpis({ ctx })).find((k) => k.id === created)!;
		await updateKpi({
			ctx,
			input: {
				id: kpi.id,
				version: kpi.version,
				name: '別の指標名',
				unit: '件',
				direction: kpi.direction === 'higher' ? 'lower' : 'higher',
				baselineValue: '1',
				baselineYear: '令和2',
				targetValue: '2',
				targetYear: '令和7'
			}
		});
		const edit = await newest('indicator', kpi.id);
		await restoreVersion({ ctx, input: { id: kpi.id, entryId: edit.id, version: kpi.version + 1 } });
		const now = (await listKpis({ ctx })).find((k) => k.id === kpi.id)!;
		expect(now).toMatchObject({
			name: kpi.name,
			unit: kpi.unit,
			direction: kpi.direction,
			baselineValue: kpi.baselineValue,
			baselineYear: kpi.baselineYear,
			targetValue: kpi.targetValue,
			targetYear: kpi.targetYear,
			sharedIndicatorCode: kpi.sharedIndicatorCode,
			version: kpi.version + 2
		});
		const stale = await restoreVersion({ ctx, input: { id: kpi.id, entryId: edit.id, version: kpi.version } }).catch(
			(e: unknown) => e
		);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError<{ version: number }>).current.version).toBe(kpi.version + 2);
	});

	it('a yearly record: its text and its metrics as they were, a removed metric back and an added one gone', async () => {
		const initiativeId = (await readPlanOverview({ ctx, input: { q: 'CoCoパトロール隊' } })).initiatives[0]!.id;
		const { id } = await addYearlyRecord({
			ctx,
			input: {
				initiativeId,
				fiscalYear: '2022',
				phase: 'actual',
				text: '・巡回 300回',
				metrics: [
					{ label: '巡回回数', value: '300', unit: '回' },
					{ label: '車両数', value: '4', unit: '台' }
				]
			}
		});
		const read = async () =>
			(await readInitiative({ ctx, input: { id: initiativeId } })).records.find((r) => r.id === id)!;
		const first = await read();
		// The version to go back to: the record as it stood before its text was edited.
		await updateYearlyRecord({
			ctx,
			input: { id, version: first.version, fiscalYear: '2023', phase: 'actual', text: '・巡回 310回' }
		});
		const textEdit = (await listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } }))[0]!;
		const [runs, vehicles] = (await read()).metrics;
		await updateMetric({
			ctx,
			input: { id: runs!.id, version: runs!.version, label: '巡回回数', value: '310', unit: '回' }
		});
		await deleteMetric({ ctx, input: { id: vehicles!.id, version: vehicles!.version } });
		await addMetric({ ctx, input: { recordId: id, label: '距離', value: '1,200', unit: 'km' } });

		expect(textEdit).toMatchObject({ restorable: true, record: { fiscalYear: 2023 } });
		await restoreVersion({ ctx, input: { id: initiativeId, entryId: textEdit.id } });
		const now = await read();
		expect(now).toMatchObject({ fiscalYear: 2022, phase: 'actual', text: '・巡回 300回' });
		expect(now.metrics.map((m) => [m.label, m.value, m.unit])).toEqual([
			['巡回回数', 300, '回'],
			['車両数', 4, '台']
		]);
		const [restore] = await listHistory({ ctx, input: { entity: 'initiative', entityId: initiativeId } });
		expect(restore).toMatchObject({ action: 'restore', restorable: true });
		expect(restore!.changes.map((c) => c.field)).toEqual(
			expect.arrayContaining(['fiscalYear', 'recordText', 'metric'])
		);
	});

	it('the plan: its title, period and level names come back', async () => {
		const plan = (await readPlan({ ctx }))!;
		await updatePlan({
			ctx,
			input: {
				id: plan.id,
				version: plan.version,
				title: '改めた計画名',
				kind: 'guideline',
				periodStart: '令和6',
				periodEnd: '令和10',
				levelLabels: '分野\n取組',
				initiativeLabel: '事業'
			}
		});
		const edit = await newest('plan', plan.id);
		await restoreVersion({ ctx, input: { id: plan.id, entryId: edit.id } });
		expect(await readPlan({ ctx })).toMatchObject({
			title: plan.title,
			kind: plan.kind,
			periodStart: plan.periodStart,
			periodEnd: plan.periodEnd,
			levelLabels: plan.levelLabels,
			initiativeLabel: plan.initiativeLabel,
			version: plan.version + 2
		});
	});

	it('a department: its earlier name comes back', async () => {
		const department = (await listDepartments({ ctx }))[0]!;
		await renameDepartment({ ctx, input: { id: department.id, version: department.version, name: '改称した課' } });
		const edit = await newest('department', department.id);
		await restoreVersion({ ctx, input: { id: department.id, entryId: edit.id } });
		expect((await listDepartments({ ctx })).find((d) => d.id === department.id)!.name).toBe(department.name);
	});

	it('refuses an entry that holds no earlier version, and one of another item', async () => {
		const plan = (await readPlan({ ctx }))!;
		const creation = (await listHistory({ ctx, input: { limit: 500 } })).find(
			(e) => e.action === 'create' && e.entity === 'indicator'
		)!;
		expect(creation.restorable).toBe(false);
		const refused = await restoreVersion({ ctx, input: { id: creation.entityId, entryId: creation.id } }).catch(
			(e: unknown) => e
		);
		expect(refused).toBeInstanceOf(InvalidError);
		const edit = await newest('plan', plan.id);
		const foreign = await restoreVersion({ ctx, input: { id: creation.entityId, entryId: edit.id } }).catch(
			(e: unknown) => e
		);
		expect(foreign).toBeInstanceOf(NotFoundError);
	});
});
