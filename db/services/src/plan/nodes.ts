// Plan nodes (施策 / 主要な施策 / 分野…): create, edit, move and delete.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { initiatives, planNodes, plans } from '@mamori/db/tenant';
import { createNodeInput, moveNodeInput, target, updateNodeInput, versioned } from '../domain/forms.ts';
import { auditEntry } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { planEntity, runBatch } from './versioned.ts';

async function readRow(ctx: TenantContext, id: string) {
	const [row] = await ctx.db.select().from(planNodes).where(eq(planNodes.id, id));
	return row;
}

const node = planEntity('node', readRow);

export async function readNode({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const [rows, children, items] = await ctx.db.batch([
		ctx.db
			.select()
			.from(planNodes)
			.where(and(eq(planNodes.id, input.id), isNull(planNodes.deletedAt))),
		ctx.db
			.select({ id: planNodes.id, code: planNodes.code, title: planNodes.title })
			.from(planNodes)
			.where(and(eq(planNodes.parentId, input.id), isNull(planNodes.deletedAt)))
			.orderBy(asc(planNodes.position)),
		ctx.db
			.select({ id: initiatives.id, code: initiatives.code, title: initiatives.title })
			.from(initiatives)
			.where(and(eq(initiatives.nodeId, input.id), isNull(initiatives.deletedAt)))
			.orderBy(asc(initiatives.position))
	]);
	const node = rows[0];
	if (!node) throw new NotFoundError('node');
	return { node, children, initiatives: items };
}

export async function createNode({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(createNodeInput, raw);
	ctx.authorize('plan.edit');
	const [planRows, parentRows, last] = await ctx.db.batch([
		ctx.db.select({ id: plans.id }).from(plans).orderBy(asc(plans.createdAt)).limit(1),
		ctx.db
			.select({ id: planNodes.id })
			.from(planNodes)
			.where(and(eq(planNodes.id, input.parentId ?? ''), isNull(planNodes.deletedAt))),
		ctx.db
			.select({ position: max(planNodes.position) })
			.from(planNodes)
			.where(input.parentId ? eq(planNodes.parentId, input.parentId) : isNull(planNodes.parentId))
	]);
	const plan = planRows[0];
	if (!plan) throw new NotFoundError('plan');
	if (input.parentId && !parentRows[0]) throw invalid('parentId', 'error_parent_node_missing');
	const id = newId();
	await runBatch(ctx, [
		ctx.db.insert(planNodes).values({
			id,
			planId: plan.id,
			parentId: input.parentId,
			code: input.code ?? null,
			title: input.title,
			summary: input.summary ?? null,
			position: (last[0]?.position ?? -1) + 1
		}),
		auditEntry(ctx, {
			entity: 'node',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.title, code: input.code ?? null }
		})
	]);
	return { id };
}

export async function updateNode({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(updateNodeInput, raw);
	await node.write(ctx, { id: input.id, version: input.version }, (before) => [
		ctx.db
			.update(planNodes)
			.set({
				code: input.code ?? null,
				title: input.title,
				summary: input.summary ?? null,
				version: before.version + 1,
				updatedAt: new Date(ctx.now())
			})
			.where(eq(planNodes.id, input.id)),
		auditEntry(ctx, {
			entity: 'node',
			entityId: input.id,
			action: 'update',
			before: { title: before.title, code: before.code, summary: before.summary },
			after: { title: input.title, code: input.code ?? null, summary: input.summary ?? null }
		})
	]);
}

/** A node is deleted only when it holds nothing: its initiatives are moved or deleted first. */
export async function deleteNode({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(versioned, raw);
	await node.write(ctx, { id: input.id, version: input.version }, async (row) => {
		const { children, initiatives: items } = await readNode({ ctx, input: { id: row.id } });
		if (children.length > 0 || items.length > 0) throw invalid('form', 'error_node_not_empty');
		return [
			ctx.db
				.update(planNodes)
				.set({ deletedAt: new Date(ctx.now()), version: row.version + 1, updatedAt: new Date(ctx.now()) })
				.where(eq(planNodes.id, input.id)),
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
