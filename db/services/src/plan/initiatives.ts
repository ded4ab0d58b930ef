// Initiatives (主な取組 / 施策 / 取組事業): read, create, update, move, delete and restore.
// Every write: authorise first, validate references, then one atomic batch with its history row.
import { and, asc, eq, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { newId } from '@mamori/db';
import type { InitiativeForm, NewInitiativeForm } from '../domain/forms.ts';
import {
	departments,
	initiativeCategories,
	initiativeDepartments,
	initiatives,
	metrics,
	planNodes,
	yearlyRecords
} from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import { isVersionConflict, type TenantContext } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

/** What an initiative is, as history and conflict messages show it. */
export interface InitiativeSnapshot {
	id: string;
	version: number;
	nodeId: string;
	title: string;
	description: string | null;
	planRef: string | null;
	departments: { id: string; name: string }[];
	categoryCodes: string[];
	deleted: boolean;
}

async function snapshot(ctx: TenantContext, id: string): Promise<InitiativeSnapshot | null> {
	const [rows, deps, cats] = await ctx.db.batch([
		ctx.db.select().from(initiatives).where(eq(initiatives.id, id)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(initiativeDepartments)
			.innerJoin(departments, eq(departments.id, initiativeDepartments.departmentId))
			.where(eq(initiativeDepartments.initiativeId, id))
			.orderBy(asc(initiativeDepartments.position)),
		ctx.db
			.select({ code: initiativeCategories.categoryCode })
			.from(initiativeCategories)
			.where(eq(initiativeCategories.initiativeId, id))
			.orderBy(asc(initiativeCategories.position))
	]);
	const row = rows[0];
	if (!row) return null;
	return {
		id: row.id,
		version: row.version,
		nodeId: row.nodeId,
		title: row.title,
		description: row.description,
		planRef: row.planRef,
		departments: deps,
		categoryCodes: cats.map((c) => c.code),
		deleted: row.deletedAt !== null
	};
}

export async function readInitiative({ ctx, input }: { ctx: TenantContext; input: { id: string } }) {
	ctx.authorize('plan.read');
	const [rows, deps, cats, records, metricRows, allDepartments] = await ctx.db.batch([
		ctx.db
			.select({
				id: initiatives.id,
				version: initiatives.version,
				code: initiatives.code,
				title: initiatives.title,
				description: initiatives.description,
				planRef: initiatives.planRef,
				departmentNote: initiatives.departmentNote,
				deletedAt: initiatives.deletedAt,
				nodeId: planNodes.id,
				nodeCode: planNodes.code,
				nodeTitle: planNodes.title
			})
			.from(initiatives)
			.innerJoin(planNodes, eq(planNodes.id, initiatives.nodeId))
			.where(eq(initiatives.id, input.id)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(initiativeDepartments)
			.innerJoin(departments, eq(departments.id, initiativeDepartments.departmentId))
			.where(eq(initiativeDepartments.initiativeId, input.id))
			.orderBy(asc(initiativeDepartments.position)),
		ctx.db
			.select({ code: initiativeCategories.categoryCode })
			.from(initiativeCategories)
			.where(eq(initiativeCategories.initiativeId, input.id))
			.orderBy(asc(initiativeCategories.position)),
		ctx.db
			.select({
				id: yearlyRecords.id,
				version: yearlyRecords.version,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				departmentId: yearlyRecords.departmentId,
				departmentName: departments.name,
				text: yearlyRecords.text
			})
			.from(yearlyRecords)
			.leftJoin(departments, eq(departments.id, yearlyRecords.departmentId))
			.where(and(eq(yearlyRecords.initiativeId, input.id), isNull(yearlyRecords.deletedAt)))
			.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
		ctx.db
			.select({
				id: metrics.id,
				recordId: metrics.recordId,
				label: metrics.label,
				value: metrics.value,
				unit: metrics.unit,
				indicatorCode: metrics.indicatorCode,
				periodKind: metrics.periodKind,
				periodYear: metrics.periodYear,
				approximate: metrics.approximate,
				cumulative: metrics.cumulative,
				note: metrics.note
			})
			.from(metrics)
			.innerJoin(yearlyRecords, eq(yearlyRecords.id, metrics.recordId))
			.where(eq(yearlyRecords.initiativeId, input.id))
			.orderBy(asc(metrics.position)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(departments)
			.where(isNull(departments.deletedAt))
			.orderBy(asc(departments.position))
	]);
	const initiative = rows[0];
	if (!initiative) throw new NotFoundError('initiative not found');
	const metricsByRecord = Map.groupBy(metricRows, (m) => m.recordId);
	return {
		initiative,
		departments: deps,
		categoryCodes: cats.map((c) => c.code),
		records: records.map((r) => ({ ...r, metrics: metricsByRecord.get(r.id) ?? [] })),
		allDepartments
	};
}
export type InitiativeDetail = Awaited<ReturnType<typeof readInitiative>>;

function checkReferences(
	input: { departmentIds: string[]; categoryCodes: string[] },
	known: { departmentIds: Set<string>; taxonomyCodes: Set<string> }
) {
	const errors: Record<string, string> = {};
	if (input.departmentIds.some((id) => !known.departmentIds.has(id)))
		errors.departmentIds = '担当課の指定が正しくありません。';
	if (input.categoryCodes.some((c) => !known.taxonomyCodes.has(c)))
		errors.categoryCodes = '存在しない分類が指定されています。';
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

async function departmentIdSet(ctx: TenantContext): Promise<Set<string>> {
	const rows = await ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt));
	return new Set(rows.map((r) => r.id));
}

function relationRows(id: string, input: { departmentIds: string[]; categoryCodes: string[] }) {
	return {
		deps: [...new Set(input.departmentIds)].map((departmentId, position) => ({
			initiativeId: id,
			departmentId,
			position
		})),
		cats: [...new Set(input.categoryCodes)].map((categoryCode, position) => ({
			initiativeId: id,
			categoryCode,
			position
		}))
	};
}

async function conflict(ctx: TenantContext, id: string): Promise<never> {
	const current = await snapshot(ctx, id);
	if (!current) throw new NotFoundError('initiative not found');
	throw new ConflictError(current);
}

export async function updateInitiative({
	ctx,
	input,
	taxonomyCodes
}: {
	ctx: TenantContext;
	input: InitiativeForm & { id: string };
	taxonomyCodes: Set<string>;
}): Promise<InitiativeSnapshot> {
	const before = await snapshot(ctx, input.id);
	if (!before || before.deleted) throw new NotFoundError('initiative not found');
	// A department-limited editor must hold the initiative before and after the change: they may
	// share it with another department, not hand it over entirely.
	ctx.authorize('plan.edit', { departmentIds: before.departments.map((d) => d.id) });
	ctx.authorize('plan.edit', { departmentIds: input.departmentIds });
	checkReferences(input, { departmentIds: await departmentIdSet(ctx), taxonomyCodes });
	if (before.version !== input.version) throw new ConflictError(before);

	const { deps, cats } = relationRows(input.id, input);
	const statements = [
		ctx.db
			.update(initiatives)
			.set({
				title: input.title,
				description: input.description ?? null,
				planRef: input.planRef ?? null,
				version: input.version + 1,
				updatedAt: new Date()
			})
			.where(eq(initiatives.id, input.id)),
		ctx.db.delete(initiativeDepartments).where(eq(initiativeDepartments.initiativeId, input.id)),
		ctx.db.delete(initiativeCategories).where(eq(initiativeCategories.initiativeId, input.id)),
		...(deps.length ? [ctx.db.insert(initiativeDepartments).values(deps)] : []),
		...(cats.length ? [ctx.db.insert(initiativeCategories).values(cats)] : [])
	];
	const names = new Map(
		(await ctx.db.select({ id: departments.id, name: departments.name }).from(departments)).map((d) => [d.id, d.name])
	);
	const after: InitiativeSnapshot = {
		...before,
		version: input.version + 1,
		title: input.title,
		description: input.description ?? null,
		planRef: input.planRef ?? null,
		departments: deps.map((d) => ({ id: d.departmentId, name: names.get(d.departmentId) ?? '' })),
		categoryCodes: cats.map((c) => c.categoryCode)
	};
	try {
		await ctx.db.batch([
			statements[0]!,
			...statements.slice(1),
			auditEntry(ctx, { entity: 'initiative', entityId: input.id, action: 'update', before, after })
		]);
	} catch (error) {
		if (isVersionConflict(error)) return conflict(ctx, input.id);
		throw error;
	}
	return after;
}

export async function createInitiative({
	ctx,
	input,
	taxonomyCodes
}: {
	ctx: TenantContext;
	input: NewInitiativeForm;
	taxonomyCodes: Set<string>;
}): Promise<{ id: string }> {
	ctx.authorize('plan.edit', { departmentIds: input.departmentIds });
	const [nodes, last] = await ctx.db.batch([
		ctx.db
			.select({ id: planNodes.id, planId: planNodes.planId })
			.from(planNodes)
			.where(and(eq(planNodes.id, input.nodeId), isNull(planNodes.deletedAt))),
		ctx.db
			.select({ position: max(initiatives.position) })
			.from(initiatives)
			.where(eq(initiatives.nodeId, input.nodeId))
	]);
	const node = nodes[0];
	if (!node) throw new ValidationError({ nodeId: '施策を選んでください。' });
	checkReferences(input, { departmentIds: await departmentIdSet(ctx), taxonomyCodes });
	const id = newId();
	const { deps, cats } = relationRows(id, input);
	await ctx.db.batch([
		ctx.db.insert(initiatives).values({
			id,
			planId: node.planId,
			nodeId: node.id,
			title: input.title,
			description: input.description ?? null,
			planRef: input.planRef ?? null,
			position: (last[0]?.position ?? -1) + 1
		}),
		...(deps.length ? [ctx.db.insert(initiativeDepartments).values(deps)] : []),
		...(cats.length ? [ctx.db.insert(initiativeCategories).values(cats)] : []),
		auditEntry(ctx, {
			entity: 'initiative',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.title, nodeId: node.id, categoryCodes: cats.map((c) => c.categoryCode) }
		})
	]);
	return { id };
}

/** Soft delete: the initiative disappears from the plan and can be restored from history. */
export async function deleteInitiative({ ctx, input }: { ctx: TenantContext; input: { id: string; version: number } }) {
	const before = await snapshot(ctx, input.id);
	if (!before || before.deleted) throw new NotFoundError('initiative not found');
	ctx.authorize('plan.edit', { departmentIds: before.departments.map((d) => d.id) });
	if (before.version !== input.version) throw new ConflictError(before);
	try {
		await ctx.db.batch([
			ctx.db
				.update(initiatives)
				.set({ deletedAt: new Date(), version: input.version + 1, updatedAt: new Date() })
				.where(eq(initiatives.id, input.id)),
			auditEntry(ctx, { entity: 'initiative', entityId: input.id, action: 'delete', before, after: null })
		]);
	} catch (error) {
		if (isVersionConflict(error)) return conflict(ctx, input.id);
		throw error;
	}
}

export async function restoreInitiative({ ctx, input }: { ctx: TenantContext; input: { id: string } }) {
	const before = await snapshot(ctx, input.id);
	if (!before || !before.deleted) throw new NotFoundError('deleted initiative not found');
	ctx.authorize('plan.edit', { departmentIds: before.departments.map((d) => d.id) });
	await ctx.db.batch([
		ctx.db
			.update(initiatives)
			.set({ deletedAt: null, version: before.version + 1, updatedAt: new Date() })
			.where(eq(initiatives.id, input.id)),
		auditEntry(ctx, {
			entity: 'initiative',
			entityId: input.id,
			action: 'restore',
			before: null,
			after: { ...before, deleted: false }
		})
	]);
}

/** Moves an initiative one place up or down among its siblings, or to the end of another node. */
export async function moveInitiative({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: { id: string; version: number; direction?: 'up' | 'down'; nodeId?: string };
}) {
	const before = await snapshot(ctx, input.id);
	if (!before || before.deleted) throw new NotFoundError('initiative not found');
	ctx.authorize('plan.edit', { departmentIds: before.departments.map((d) => d.id) });
	if (before.version !== input.version) throw new ConflictError(before);
	const targetNode = input.nodeId ?? before.nodeId;
	const siblings = await ctx.db
		.select({ id: initiatives.id, version: initiatives.version, position: initiatives.position })
		.from(initiatives)
		.where(and(eq(initiatives.nodeId, targetNode), isNull(initiatives.deletedAt)))
		.orderBy(asc(initiatives.position));
	let order = siblings.filter((s) => s.id !== input.id).map((s) => s.id);
	if (input.nodeId && input.nodeId !== before.nodeId) order.push(input.id);
	else {
		const index = siblings.findIndex((s) => s.id === input.id);
		const to = input.direction === 'up' ? index - 1 : index + 1;
		if (index < 0 || to < 0 || to >= siblings.length) return; // already first / last
		order = siblings.map((s) => s.id);
		[order[index], order[to]] = [order[to]!, order[index]!];
	}
	const versions = new Map(siblings.map((s) => [s.id, s.version]));
	versions.set(input.id, input.version);
	const positions = new Map(siblings.map((s) => [s.id, s.position]));
	const changed = order
		.map((id, position) => ({ id, position }))
		.filter((r) => positions.get(r.id) !== r.position || r.id === input.id);
	try {
		await ctx.db.batch([
			...changed.map((r) =>
				ctx.db
					.update(initiatives)
					.set({
						position: r.position,
						nodeId: targetNode,
						version: sql`${versions.get(r.id)! + 1}`,
						updatedAt: new Date()
					})
					.where(eq(initiatives.id, r.id))
			),
			auditEntry(ctx, {
				entity: 'initiative',
				entityId: input.id,
				action: 'move',
				before: { nodeId: before.nodeId, position: positions.get(input.id) ?? null },
				after: { nodeId: targetNode, position: order.indexOf(input.id) }
			})
		] as unknown as Parameters<typeof ctx.db.batch>[0]);
	} catch (error) {
		if (isVersionConflict(error)) return conflict(ctx, input.id);
		throw error;
	}
}

/** Ids of deleted initiatives, so the history page offers to restore only what is still deleted. */
export async function listDeletedInitiativeIds({ ctx }: { ctx: TenantContext }): Promise<string[]> {
	ctx.authorize('plan.read');
	const rows = await ctx.db.select({ id: initiatives.id }).from(initiatives).where(isNotNull(initiatives.deletedAt));
	return rows.map((r) => r.id);
}
