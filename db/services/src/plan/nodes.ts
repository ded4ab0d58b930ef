// Plan nodes (施策 / 主要な施策 / 分野…): create, edit, move and delete.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { initiatives, planNodes, plans } from '@mamori/db/tenant';
import { createNodeInput, moveNodeInput, target, updateNodeInput, versioned } from '../domain/forms.ts';
import { auditEntry, type EditArgs } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { listKpis } from './kpis.ts';
import {
	insertNew,
	lastPosition,
	liveRow,
	nextPosition,
	planEntity,
	setDeleted,
	updateVersioned
} from './versioned.ts';

async function readRow(ctx: TenantContext, id: string) {
	const [row] = await ctx.db.select().from(planNodes).where(eq(planNodes.id, id));
	return row;
}

const node = planEntity('node', readRow);

// What a node holds: its children and its initiatives (a node is deleted only when both are empty).
function readContents(ctx: TenantContext, id: string) {
	return [
		ctx.db
			.select({ id: planNodes.id, code: planNodes.code, title: planNodes.title })
			.from(planNodes)
			.where(and(eq(planNodes.parentId, id), isNull(planNodes.deletedAt)))
			.orderBy(asc(planNodes.position)),
		ctx.db
			.select({
				id: initiatives.id,
				code: initiatives.code,
				title: initiatives.title,
				description: initiatives.description,
				planRef: initiatives.planRef
			})
			.from(initiatives)
			.where(and(eq(initiatives.nodeId, id), isNull(initiatives.deletedAt)))
			.orderBy(asc(initiatives.position))
	] as const;
}

/**
 * A node as its city's document lays it out: its own sections (概要, 現状と課題, 関連計画), where it
 * stands in the tree (its ancestors, and so the plan's name for its level), what it holds, and
 * its KPIs (成果指標) with their values.
 */
export async function readNode({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const [[rows, tree, children, items], kpis] = await Promise.all([
		ctx.db.batch([
			ctx.db
				.select({ node: planNodes, levelLabels: plans.levelLabels, initiativeLabel: plans.initiativeLabel })
				.from(planNodes)
				.innerJoin(plans, eq(plans.id, planNodes.planId))
				.where(and(eq(planNodes.id, input.id), isNull(planNodes.deletedAt))),
			ctx.db
				.select({ id: planNodes.id, parentId: planNodes.parentId, code: planNodes.code, title: planNodes.title })
				.from(planNodes)
				.where(isNull(planNodes.deletedAt)),
			...readContents(ctx, input.id)
		]),
		listKpis({ ctx })
	]);
	const found = rows[0];
	if (!found) throw new NotFoundError('node');
	const byId = new Map(tree.map((n) => [n.id, n]));
	const ancestors: (typeof tree)[number][] = [];
	// The bound keeps a damaged tree (a cycle no service writes) from looping.
	for (let at = byId.get(found.node.parentId ?? ''); at && ancestors.length < tree.length;) {
		ancestors.unshift(at);
		at = byId.get(at.parentId ?? '');
	}
	const labels = found.levelLabels;
	return {
		node: found.node,
		ancestors,
		/** The plan's words for this node's level, its children's level and its initiatives. */
		labels: {
			level: labels[Math.min(ancestors.length, labels.length - 1)] ?? null,
			childLevel: labels[Math.min(ancestors.length + 1, labels.length - 1)] ?? null,
			initiative: found.initiativeLabel
		},
		children,
		initiatives: items,
		kpis: kpis.filter((k) => k.nodeId === input.id)
	};
}

/** The columns a node's form sets, on create and on edit. */
function nodeColumns(input: { code?: string | null; title: string; summary?: string | null }) {
	return { code: input.code ?? null, title: input.title, summary: input.summary ?? null };
}

export async function createNode({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(createNodeInput, raw);
	const [planRows, parentRows, last] = await ctx.db.batch([
		ctx.db.select({ id: plans.id }).from(plans).orderBy(asc(plans.createdAt)).limit(1),
		liveRow(ctx, planNodes, input.parentId ?? ''),
		lastPosition(
			ctx,
			planNodes.position,
			input.parentId ? eq(planNodes.parentId, input.parentId) : isNull(planNodes.parentId)
		)
	]);
	const plan = planRows[0];
	if (!plan) throw new NotFoundError('plan');
	if (input.parentId && !parentRows[0]) throw invalid('parentId', 'error_parent_node_missing');
	return insertNew(ctx, (id) => [
		ctx.db
			.insert(planNodes)
			.values({ id, planId: plan.id, parentId: input.parentId, ...nodeColumns(input), position: nextPosition(last) }),
		auditEntry(ctx, {
			entity: 'node',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.title, code: input.code ?? null }
		})
	]);
}

export async function updateNode({ ctx, input: raw, action = 'update' }: EditArgs) {
	const input = parseInput(updateNodeInput, raw);
	await node.write(ctx, { id: input.id, version: input.version }, (before) => [
		updateVersioned(ctx, planNodes, before, nodeColumns(input)),
		auditEntry(ctx, {
			entity: 'node',
			entityId: input.id,
			action,
			before: { title: before.title, code: before.code, summary: before.summary },
			after: { title: input.title, code: input.code ?? null, summary: input.summary ?? null }
		})
	]);
}

/** A node is deleted only when it holds nothing: its initiatives are moved or deleted first. */
export async function deleteNode({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(versioned, raw);
	await node.write(ctx, { id: input.id, version: input.version }, async (row) => {
		const [children, items] = await ctx.db.batch(readContents(ctx, row.id));
		if (children.length > 0 || items.length > 0) throw invalid('form', 'error_node_not_empty');
		return [
			setDeleted(ctx, planNodes, row, new Date(ctx.now())),
			auditEntry(ctx, {
				entity: 'node',
				entityId: input.id,
				action: 'delete',
				before: { title: row.title, code: row.code },
				after: null
			})
		];
	});
}

/** Swaps a node with its previous or next sibling. */
export async function moveNode({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(moveNodeInput, raw);
	await node.write(ctx, { id: input.id, version: undefined }, async (row) => {
		const siblings = await ctx.db
			.select({ id: planNodes.id, version: planNodes.version, position: planNodes.position })
			.from(planNodes)
			.where(
				and(
					row.parentId ? eq(planNodes.parentId, row.parentId) : isNull(planNodes.parentId),
					isNull(planNodes.deletedAt)
				)
			)
			.orderBy(asc(planNodes.position));
		const index = siblings.findIndex((s) => s.id === input.id);
		const other = siblings[input.direction === 'up' ? index - 1 : index + 1];
		const self = siblings[index];
		if (!other || !self) return [];
		return [
			ctx.db
				.update(planNodes)
				.set({ position: other.position, version: self.version + 1 })
				.where(eq(planNodes.id, self.id)),
			ctx.db
				.update(planNodes)
				.set({ position: self.position, version: other.version + 1 })
				.where(eq(planNodes.id, other.id)),
			auditEntry(ctx, {
				entity: 'node',
				entityId: input.id,
				action: 'move',
				before: { position: self.position },
				after: { position: other.position }
			})
		];
	});
}
