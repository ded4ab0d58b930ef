// Initiatives (主な取組 / 施策 / 取組事業): read, create, update, move, delete and restore.
// Every write: authorise first, validate references, then one atomic batch with its history row.
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { moveInitiativeInput, newInitiativeForm, target, updateInitiativeInput, versioned } from '../domain/forms.ts';
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
import { departmentChoices } from './departments.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, InvalidError, NotFoundError, parseInput, type FieldIssues } from '../errors.ts';
import { recordColumnQueries, recordColumnsOf } from './records.ts';
import { closedRounds, isLocked } from '../rounds/locks.ts';
import {
	insertNew,
	lastPosition,
	nextPosition,
	setDeleted,
	type Statement,
	updateVersioned,
	versionedEntity
} from './versioned.ts';

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

export async function initiativeSnapshot(ctx: TenantContext, id: string): Promise<InitiativeSnapshot | undefined> {
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
	if (!row) return undefined;
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

export async function readInitiative({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const [rows, deps, cats, records, metricRows, allDepartments, columnRows, planRows, closed] = await ctx.db.batch([
		ctx.db
			.select({
				id: initiatives.id,
				version: initiatives.version,
				code: initiatives.code,
				title: initiatives.title,
				description: initiatives.description,
				planRef: initiatives.planRef,
				departmentNote: initiatives.departmentNote,
				taxonomyReview: initiatives.taxonomyReview,
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
				text: yearlyRecords.text,
				progress: yearlyRecords.progress,
				roundId: yearlyRecords.roundId
			})
			.from(yearlyRecords)
			.leftJoin(departments, eq(departments.id, yearlyRecords.departmentId))
			.where(and(eq(yearlyRecords.initiativeId, input.id), isNull(yearlyRecords.deletedAt)))
			.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
		ctx.db
			.select({
				id: metrics.id,
				version: metrics.version,
				recordId: metrics.recordId,
				label: metrics.label,
				value: metrics.value,
				unit: metrics.unit,
				indicatorCode: metrics.indicatorCode,
				periodKind: metrics.periodKind,
				periodYear: metrics.periodYear,
				approximate: metrics.approximate,
				cumulative: metrics.cumulative,
				status: metrics.status,
				stockFlow: metrics.stockFlow,
				note: metrics.note
			})
			.from(metrics)
			.innerJoin(yearlyRecords, eq(yearlyRecords.id, metrics.recordId))
			.where(eq(yearlyRecords.initiativeId, input.id))
			.orderBy(asc(metrics.position)),
		departmentChoices(ctx),
		...recordColumnQueries(ctx),
		closedRounds(ctx)
	]);
	const initiative = rows[0];
	if (!initiative) throw new NotFoundError('initiative');
	const metricsByRecord = Map.groupBy(metricRows, (m) => m.recordId);
	return {
		initiative,
		departments: deps,
		categoryCodes: cats.map((c) => c.code),
		records: records.map((r) => ({ ...r, metrics: metricsByRecord.get(r.id) ?? [], locked: isLocked(r, closed) })),
		recordColumns: recordColumnsOf(initiative.nodeId, columnRows, planRows[0]?.recordColumns),
		allDepartments
	};
}
export type InitiativeDetail = Awaited<ReturnType<typeof readInitiative>>;

/** Department ids and taxonomy codes must name what exists: the city's departments, the shared taxonomy. */
async function checkReferences(ctx: TenantContext, input: { departmentIds: string[]; categoryCodes: string[] }) {
	const [rows, { taxonomyCodes }] = await Promise.all([
		ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt)),
		ctx.shared()
	]);
	const known = new Set(rows.map((r) => r.id));
	const issues: FieldIssues = {};
	if (input.departmentIds.some((id) => !known.has(id))) issues.departmentIds = { key: 'error_department_unknown' };
	if (input.categoryCodes.some((c) => !taxonomyCodes.has(c))) issues.categoryCodes = { key: 'error_category_unknown' };
	if (Object.keys(issues).length > 0) throw new InvalidError(issues);
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

/**
 * A form posts its boxes in the order it lists them (the taxonomy's, the city's departments'),
 * not in the initiative's own order (its lead department first): what stays keeps its place, and
 * what is new comes after it, so that saving unchanged reorders nothing.
 */
function keepOrder(saved: readonly string[], submitted: readonly string[]): string[] {
	const chosen = new Set(submitted);
	return [...saved.filter((v) => chosen.has(v)), ...submitted.filter((v) => !saved.includes(v))];
}

const departmentIdsOf = (s: InitiativeSnapshot) => ({ departmentIds: s.departments.map((d) => d.id) });

/** A department-limited editor changes only the initiatives of their departments. */
const initiative = versionedEntity({
	what: 'initiative',
	read: initiativeSnapshot,
	gone: (s) => s.deleted,
	authorize: (ctx, s) => ctx.authorize('plan.edit', departmentIdsOf(s))
});

/** The columns an initiative's form sets, on create and on edit. */
function initiativeColumns(input: { title: string; description?: string | null; planRef?: string | null }) {
	return { title: input.title, description: input.description ?? null, planRef: input.planRef ?? null };
}

/** Writes an initiative's fields and relations as `fields`; the statements of an update or a restore. */
async function rewrite(
	ctx: TenantContext,
	before: InitiativeSnapshot,
	fields: Pick<InitiativeSnapshot, 'title' | 'description' | 'planRef' | 'categoryCodes'> & { departmentIds: string[] },
	extra: { deletedAt?: null } = {}
): Promise<{ statements: Statement[]; after: InitiativeSnapshot }> {
	const { deps, cats } = relationRows(before.id, fields);
	const names = new Map(
		(await ctx.db.select({ id: departments.id, name: departments.name }).from(departments)).map((d) => [d.id, d.name])
	);
	const after: InitiativeSnapshot = {
		...before,
		version: before.version + 1,
		...initiativeColumns(fields),
		departments: deps.map((d) => ({ id: d.departmentId, name: names.get(d.departmentId) ?? '' })),
		categoryCodes: cats.map((c) => c.categoryCode),
		deleted: extra.deletedAt === null ? false : before.deleted
	};
	const statements: Statement[] = [
		ctx.db
			.update(initiatives)
			.set({
				...initiativeColumns(fields),
				taxonomyReview: null, // the city saved the categories as it sees them
				version: before.version + 1,
				updatedAt: new Date(ctx.now()),
				...extra
			})
			.where(eq(initiatives.id, before.id)),
		ctx.db.delete(initiativeDepartments).where(eq(initiativeDepartments.initiativeId, before.id)),
		ctx.db.delete(initiativeCategories).where(eq(initiativeCategories.initiativeId, before.id)),
		...(deps.length ? [ctx.db.insert(initiativeDepartments).values(deps)] : []),
		...(cats.length ? [ctx.db.insert(initiativeCategories).values(cats)] : [])
	];
	return { statements, after };
}

export async function updateInitiative({ ctx, input: raw }: VerbArgs): Promise<InitiativeSnapshot> {
	const input = parseInput(updateInitiativeInput, raw);
	let after: InitiativeSnapshot | undefined;
	await initiative.write(
		ctx,
		input,
		async (before) => {
			await checkReferences(ctx, input);
			const change = await rewrite(ctx, before, {
				...initiativeColumns(input),
				departmentIds: keepOrder(
					before.departments.map((d) => d.id),
					input.departmentIds
				),
				categoryCodes: keepOrder(before.categoryCodes, input.categoryCodes)
			});
			after = change.after;
			return [
				...change.statements,
				auditEntry(ctx, { entity: 'initiative', entityId: input.id, action: 'update', before, after })
			];
		},
		{
			// A department-limited editor must hold the initiative before and after the change: they
			// may share it with another department, not hand it over entirely.
			authorize: (before) => {
				ctx.authorize('plan.edit', departmentIdsOf(before));
				ctx.authorize('plan.edit', { departmentIds: input.departmentIds });
			}
		}
	);
	return after!;
}

export async function createInitiative({ ctx, input: raw }: VerbArgs): Promise<{ id: string }> {
	// A new initiative changes the plan's tree: not a department-limited editor's to make.
	ctx.authorize('plan.edit');
	const input = parseInput(newInitiativeForm, raw);
	const [nodes, last] = await ctx.db.batch([
		ctx.db
			.select({ id: planNodes.id, planId: planNodes.planId })
			.from(planNodes)
			.where(and(eq(planNodes.id, input.nodeId), isNull(planNodes.deletedAt))),
		lastPosition(ctx, initiatives.position, eq(initiatives.nodeId, input.nodeId))
	]);
	const node = nodes[0];
	if (!node) throw new InvalidError({ nodeId: { key: 'validation_node_required' } });
	await checkReferences(ctx, input);
	return insertNew(ctx, (id) => {
		const { deps, cats } = relationRows(id, input);
		return [
			ctx.db.insert(initiatives).values({
				id,
				planId: node.planId,
				nodeId: node.id,
				...initiativeColumns(input),
				position: nextPosition(last)
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
		];
	});
}

/** Soft delete: the initiative disappears from the plan and can be restored from history. */
/**
 * The city confirms the categories a taxonomy migration gave the initiative, as they are: the
 * request to check them is cleared (saving the initiative's form clears it too).
 */
export async function confirmCategories({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await initiative.write(ctx, input, async (before) => {
		const [row] = await ctx.db
			.select({ review: initiatives.taxonomyReview })
			.from(initiatives)
			.where(eq(initiatives.id, input.id));
		if (!row?.review?.length) return [];
		return [
			updateVersioned(ctx, initiatives, before, { taxonomyReview: null }),
			auditEntry(ctx, {
				entity: 'initiative',
				entityId: input.id,
				action: 'confirm',
				before: { categoryCodes: before.categoryCodes, review: row.review },
				after: { categoryCodes: before.categoryCodes }
			})
		];
	});
}

export async function deleteInitiative({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await initiative.write(ctx, input, (before) => [
		setDeleted(ctx, initiatives, before, new Date(ctx.now())),
		auditEntry(ctx, { entity: 'initiative', entityId: input.id, action: 'delete', before, after: null })
	]);
}

/** Brings a deleted initiative back as it was when deleted. */
export async function restoreInitiative({ ctx, input: raw }: VerbArgs): Promise<void> {
	const { id } = parseInput(target, raw);
	await initiative.restore(ctx, id, (before) => {
		const after = { ...before, version: before.version + 1, deleted: false };
		return [
			setDeleted(ctx, initiatives, before, null),
			auditEntry(ctx, { entity: 'initiative', entityId: id, action: 'restore', before: null, after })
		];
	});
}

/** Moves an initiative one place up or down among its siblings, or to the end of another node. */
export async function moveInitiative({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(moveInitiativeInput, raw);
	await initiative.write(ctx, input, async (before) => {
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
			if (index < 0 || to < 0 || to >= siblings.length) return []; // already first / last
			order = siblings.map((s) => s.id);
			[order[index], order[to]] = [order[to]!, order[index]!];
		}
		const versions = new Map(siblings.map((s) => [s.id, s.version]));
		versions.set(input.id, before.version);
		const positions = new Map(siblings.map((s) => [s.id, s.position]));
		const changed = order
			.map((id, position) => ({ id, position }))
			.filter((r) => positions.get(r.id) !== r.position || r.id === input.id);
		return [
			...changed.map((r) =>
				ctx.db
					.update(initiatives)
					.set({
						position: r.position,
						nodeId: targetNode,
						version: sql`${versions.get(r.id)! + 1}`,
						updatedAt: new Date(ctx.now())
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
		];
	});
}

function isSnapshot(value: unknown): value is InitiativeSnapshot {
	const v = value as Partial<InitiativeSnapshot> | null;
	return typeof v?.title === 'string' && Array.isArray(v.categoryCodes) && Array.isArray(v.departments);
}

/**
 * Brings an initiative back to an earlier version (`earlier`, an edit's or a deletion's `before`;
 * restoreVersion finds it). Departments and categories that no longer exist are left out. Works
 * on a deleted initiative too, which it restores.
 */
export async function restoreInitiativeTo(
	ctx: TenantContext,
	target: { id: string; version: number | undefined },
	earlier: unknown
): Promise<InitiativeSnapshot> {
	if (!isSnapshot(earlier)) throw invalid('entryId', 'error_version_not_restorable');
	let after: InitiativeSnapshot | undefined;
	await initiative.write(
		ctx,
		target,
		async (current) => {
			const [live, { taxonomyCodes }] = await Promise.all([
				ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt)),
				ctx.shared()
			]);
			const known = new Set(live.map((d) => d.id));
			const change = await rewrite(
				ctx,
				current,
				{
					title: earlier.title,
					description: earlier.description,
					planRef: earlier.planRef,
					departmentIds: earlier.departments.map((d) => d.id).filter((id) => known.has(id)),
					categoryCodes: earlier.categoryCodes.filter((c) => taxonomyCodes.has(c))
				},
				{ deletedAt: null }
			);
			after = change.after;
			return [
				...change.statements,
				auditEntry(ctx, { entity: 'initiative', entityId: target.id, action: 'restore', before: current, after })
			];
		},
		{
			gone: () => false,
			authorize: (current) => {
				ctx.authorize('plan.edit', departmentIdsOf(current));
				ctx.authorize('plan.edit', departmentIdsOf(earlier));
			}
		}
	);
	return after!;
}

/** Ids of deleted initiatives, so the history page offers to restore only what is still deleted. */
export async function listDeletedInitiativeIds({ ctx }: { ctx: TenantContext }): Promise<string[]> {
	ctx.authorize('plan.read');
	const rows = await ctx.db.select({ id: initiatives.id }).from(initiatives).where(isNotNull(initiatives.deletedAt));
	return rows.map((r) => r.id);
}
