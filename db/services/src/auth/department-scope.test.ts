// Department-limited editors (real sqld, 小金井市 seed, the real authoriser): an editor limited to
// 地域安全課 writes records and metrics of 地域安全課's initiatives only. On another department's
// initiative every record, metric and KPI verb is refused and nothing is written, even when the
// record names the editor's own department; plan-wide changes are refused up front.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, openCore, type CoreDb, type TenantDb } from '@mamori/db';
import { memberships, users } from '@mamori/db/core';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { coreContext, tenantContext, type TenantContext } from '../context.ts';
import { changeMemberRole } from './members.ts';
import {
	addMetric,
	addYearlyRecord,
	createDepartment,
	createInitiative,
	createNode,
	deleteMetric,
	deleteYearlyRecord,
	listHistory,
	readInitiative,
	readPlanOverview,
	restoreYearlyRecord,
	setKpiValue,
	updateMetric,
	updateYearlyRecord
} from '../index.ts';
import { AccessDeniedError } from '../errors.ts';
import { decide, type Principal } from './policy.ts';

describe('department-limited editors, decided by the authoriser', () => {
	let db: TenantDb;
	let core: CoreDb;
	let admin: TenantContext;
	let limited: TenantContext;
	let cityTenant: Awaited<ReturnType<typeof seededCity>>['tenant'];
	let safety: string; // 地域安全課
	let own: string; // an initiative of 地域安全課
	let other: string; // an initiative without 地域安全課
	let otherDepartment: string;
	/** A record on the other department's initiative that names 地域安全課 (an admin wrote it). */
	let foreignRecord: { id: string; version: number; metricId: string; metricVersion: number };

	const tables = async () =>
		Object.fromEntries(
			await Promise.all(
				['yearly_records', 'metrics', 'initiatives', 'plan_nodes', 'departments', 'indicator_values', 'audit_log'].map(
					async (t) => [t, (await db.$client.execute(`SELECT * FROM ${t}`)).rows.map((r) => JSON.stringify(r)).sort()]
				)
			)
		);

	/** A record of 地域安全課 for 令和6年度 with one figure, added by `ctx`, as the initiative's page reads it. */
	async function recordOf(ctx: TenantContext, initiativeId: string, text: string, metric: Record<string, string>) {
		const { id } = await addYearlyRecord({
			ctx,
			input: { initiativeId, fiscalYear: '2024', phase: 'actual', departmentId: safety, text, metrics: [metric] }
		});
		return (await readInitiative({ ctx, input: { id: initiativeId } })).records.find((r) => r.id === id)!;
	}

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		core = openCore(city.core);
		admin = testContext({ db, core });
		cityTenant = city.tenant;
		const overview = await readPlanOverview({ ctx: admin, input: {} });
		safety = overview.departments.find((d) => d.name === '地域安全課')!.id;
		own = overview.initiatives.find((i) => i.departments.some((d) => d.id === safety))!.id;
		const foreign = overview.initiatives.find(
			(i) => i.departments.length > 0 && !i.departments.some((d) => d.id === safety)
		)!;
		other = foreign.id;
		otherDepartment = foreign.departments[0]!.id;
		const principal: Principal = {
			userId: 'u-bouhan',
			email: 'editor-bouhan@koganei.example',
			displayName: '地域安全課 編集者',
			isOperator: false,
			prefectures: [],
			memberships: [
				{
					tenantId: city.tenant.id,
					tenantSlug: city.tenant.slug,
					tenantName: '小金井市',
					role: 'editor',
					departmentIds: [safety]
				}
			]
		};
		limited = tenantContext({ db, core, tenant: { ...city.tenant, status: 'active' }, principal });

		const saved = await recordOf(admin, other, '・合同パトロール', { label: '回数', value: '3', unit: '回' });
		const id = saved.id;
		foreignRecord = {
			id,
			version: saved.version,
			metricId: saved.metrics[0]!.id,
			metricVersion: saved.metrics[0]!.version
		};
	});

	it('the policy fails closed: an empty limit, an item of no department and plan-wide changes are refused', () => {
		const tenant = { id: 't', prefectureCode: '13', status: 'active' as const };
		const editor = (departmentIds: string[] | null): Principal => ({
			userId: 'u',
			email: 'e@example',
			displayName: 'e',
			isOperator: false,
			prefectures: [],
			memberships: [{ tenantId: 't', tenantSlug: 't', tenantName: 't', role: 'editor', departmentIds }]
		});
		const allowed = (p: Principal, departments?: readonly string[] | 'all') =>
			decide(p, 'plan.edit', { tenant, departments }).allowed;
		expect(allowed(editor(['a']), ['a', 'b'])).toBe(true);
		expect(allowed(editor(['a']), ['b'])).toBe(false);
		expect(allowed(editor(['a']), [])).toBe(false);
		expect(allowed(editor(['a']), 'all')).toBe(false);
		expect(allowed(editor([]), ['a'])).toBe(false);
		expect(allowed(editor([]), 'all')).toBe(false);
		// A route asking whether to show its page; the service asks again with the item's departments.
		expect(allowed(editor(['a']))).toBe(true);
		// Without a limit: everything.
		expect(allowed(editor(null), 'all')).toBe(true);
		expect(allowed(editor(null), [])).toBe(true);
		// Reading is never limited.
		expect(decide(editor(['a']), 'plan.read', { tenant, departments: 'all' }).allowed).toBe(true);
	});

	it('on another department’s initiative: every record and metric verb is refused, nothing written', async () => {
		const before = await tables();
		const attempts: [string, () => Promise<unknown>][] = [
			[
				'add a record naming their own department',
				() =>
					addYearlyRecord({
						ctx: limited,
						input: {
							initiativeId: other,
							fiscalYear: '2024',
							phase: 'actual',
							departmentId: safety,
							text: '・巡回',
							metrics: [{ label: '回数', value: '99', unit: '回' }]
						}
					})
			],
			[
				'add a record naming no department',
				() =>
					addYearlyRecord({
						ctx: limited,
						input: { initiativeId: other, fiscalYear: '2024', phase: 'actual', text: '・巡回', metrics: [] }
					})
			],
			[
				'edit its record that names their department',
				() =>
					updateYearlyRecord({
						ctx: limited,
						input: {
							id: foreignRecord.id,
							version: foreignRecord.version,
							fiscalYear: '2024',
							phase: 'actual',
							departmentId: safety,
							text: '・書き換え'
						}
					})
			],
			[
				'delete that record',
				() => deleteYearlyRecord({ ctx: limited, input: { id: foreignRecord.id, version: foreignRecord.version } })
			],
			[
				'add a metric to it',
				() => addMetric({ ctx: limited, input: { recordId: foreignRecord.id, label: '人数', value: '5', unit: '人' } })
			],
			[
				'edit its metric',
				() =>
					updateMetric({
						ctx: limited,
						input: {
							id: foreignRecord.metricId,
							version: foreignRecord.metricVersion,
							label: '回数',
							value: '300',
							unit: '回'
						}
					})
			],
			[
				'delete its metric',
				() =>
					deleteMetric({
						ctx: limited,
						input: { id: foreignRecord.metricId, version: foreignRecord.metricVersion }
					})
			]
		];
		for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toBeInstanceOf(AccessDeniedError);
		expect(await tables()).toEqual(before);
	});

	it('a deleted record of another department’s initiative is not theirs to restore', async () => {
		await deleteYearlyRecord({ ctx: admin, input: { id: foreignRecord.id, version: foreignRecord.version } });
		await expect(restoreYearlyRecord({ ctx: limited, input: { id: foreignRecord.id } })).rejects.toBeInstanceOf(
			AccessDeniedError
		);
		await restoreYearlyRecord({ ctx: admin, input: { id: foreignRecord.id } });
	});

	it('plan-wide changes (initiatives, nodes, departments, KPI values) are refused up front', async () => {
		const before = await tables();
		const overview = await readPlanOverview({ ctx: admin, input: {} });
		const nodeId = overview.nodes[0]!.id;
		const attempts: [string, () => Promise<unknown>][] = [
			[
				'create an initiative of their department',
				() =>
					createInitiative({
						ctx: limited,
						input: { nodeId, title: '新しい取組', departmentIds: [safety], categoryCodes: ['patrol.official'] }
					})
			],
			['create a node', () => createNode({ ctx: limited, input: { parentId: nodeId, title: '新しい施策' } })],
			['create a department', () => createDepartment({ ctx: limited, input: { name: '新しい課' } })],
			[
				'enter a KPI value',
				() =>
					setKpiValue({
						ctx: limited,
						input: { indicatorId: 'any', periodKind: 'fiscal_year', periodYear: '2024', value: '1', status: 'final' }
					})
			]
		];
		for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toBeInstanceOf(AccessDeniedError);
		expect(await tables()).toEqual(before);
	});

	it('on their own department’s initiative: they add and correct records and metrics', async () => {
		const saved = await recordOf(limited, own, '・巡回 480回', { label: '巡回回数', value: '480', unit: '回' });
		const id = saved.id;
		await updateYearlyRecord({
			ctx: limited,
			input: {
				id,
				version: saved.version,
				fiscalYear: '2024',
				phase: 'actual',
				departmentId: safety,
				text: '・巡回 481回'
			}
		});
		await addMetric({ ctx: limited, input: { recordId: id, label: '距離', value: '7000', unit: 'km' } });
		// …but do not write for another department on it.
		await expect(
			addYearlyRecord({
				ctx: limited,
				input: {
					initiativeId: own,
					fiscalYear: '2024',
					phase: 'actual',
					departmentId: otherDepartment,
					text: '・他課の分',
					metrics: []
				}
			})
		).rejects.toBeInstanceOf(AccessDeniedError);
		const after = (await readInitiative({ ctx: admin, input: { id: own } })).records.find((r) => r.id === id)!;
		expect(after.text).toBe('・巡回 481回');
		expect(after.metrics.map((m) => m.label)).toEqual(['巡回回数', '距離']);
	});

	it('a city admin limits an editor to departments; the city’s history records it, with their names', async () => {
		const adminId = newId();
		const editorId = newId();
		await core.insert(users).values([
			{ id: adminId, email: `admin-${adminId}@example.invalid`, displayName: '管理者' },
			{ id: editorId, email: `editor-${editorId}@example.invalid`, displayName: '山田 花子' }
		]);
		await core.insert(memberships).values([
			{ userId: adminId, tenantId: cityTenant.id, role: 'admin', departmentIds: null },
			{ userId: editorId, tenantId: cityTenant.id, role: 'editor', departmentIds: null }
		]);
		const principal: Principal = {
			userId: adminId,
			email: 'admin@example.invalid',
			displayName: '管理者',
			isOperator: false,
			prefectures: [],
			memberships: [
				{
					tenantId: cityTenant.id,
					tenantSlug: cityTenant.slug,
					tenantName: '小金井市',
					role: 'admin',
					departmentIds: null
				}
			]
		};
		const ctx = { ...coreContext({ core, principal }), tenant: { ...cityTenant, status: 'active' as const }, db };
		await expect(
			changeMemberRole({ ctx, input: { userId: editorId, role: 'editor', departmentIds: ['no-such-department'] } })
		).rejects.toMatchObject({ issues: { departmentIds: { key: 'error_department_unknown' } } });
		await changeMemberRole({ ctx, input: { userId: editorId, role: 'editor', departmentIds: [safety] } });
		const [row] = await core.select().from(memberships).where(eq(memberships.userId, editorId));
		expect(row!.departmentIds).toEqual([safety]);
		const [entry] = await listHistory({ ctx: admin, input: { entity: 'member', entityId: editorId } });
		expect(entry).toMatchObject({ entity: 'member', action: 'update', actorName: '管理者' });
		expect(entry!.changes).toEqual(
			expect.arrayContaining([
				{ field: 'memberName', before: null, after: { text: '山田 花子' } },
				{ field: 'departments', before: null, after: { names: ['地域安全課'] } }
			])
		);
		// Nothing ticked: every department again (also recorded).
		await changeMemberRole({ ctx, input: { userId: editorId, role: 'editor', departmentIds: [] } });
		const [again] = await core.select().from(memberships).where(eq(memberships.userId, editorId));
		expect(again!.departmentIds).toBeNull();
		expect(await listHistory({ ctx: admin, input: { entity: 'member', entityId: editorId } })).toHaveLength(2);
	});
});
