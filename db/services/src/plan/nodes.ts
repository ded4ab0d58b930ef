// Plan nodes (施策 / 主要な施策 / 分野…): create, edit, move and delete.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { initiatives, planNodes, plans } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import { isVersionConflict, type TenantContext } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

export interface NodeInput {
	code?: string | undefined;
	title: string;
	summary?: string | undefined;
}

async function readRow(ctx: TenantContext, id: string) {
	const [row] = await ctx.db.select().from(planNodes).where(eq(planNodes.id, id));
	return row;
}

export async function readNode({ ctx, input }: { ctx: TenantContext; input: { id: string } }) {
	ctx.authorize('plan.read');
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
	if (!node) throw new NotFoundError('node not found');
	return { node, children, initiatives: items };
}

export async function createNode({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: NodeInput & { parentId: string | null };
}) {
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
	if (!plan) throw new NotFoundError('plan not found');
	if (input.parentId && !parentRows[0]) throw new ValidationError({ parentId: '親の施策が見つかりません。' });
	const id = newId();
	await ctx.db.batch([
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

export async function updateNode({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: NodeInput & { id: string; version: number };
}) {
	ctx.authorize('plan.edit');
	const before = await readRow(ctx, input.id);
	if (!before || before.deletedAt) throw new NotFoundError('node not found');
	if (before.version !== input.version) throw new ConflictError(before);
	try {
		await ctx.db.batch([
			ctx.db
				.update(planNodes)
				.set({
					code: input.code ?? null,
					title: input.title,
					summary: input.summary ?? null,
					version: input.version + 1,
					updatedAt: new Date()
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
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(await readRow(ctx, input.id));
		throw error;
	}
}

/** A node is deleted only when it holds nothing: its initiatives are moved or deleted first. */
export async function deleteNode({ ctx, input }: { ctx: TenantContext; input: { id: string; version: number } }) {
	ctx.authorize('plan.edit');
	const { node, children, initiatives: items } = await readNode({ ctx, input });
	if (children.length > 0 || items.length > 0)
		throw new ValidationError({
			form: 'この施策には取組または下位の施策があるため削除できません。先に移動または削除してください。'
		});
	if (node.version !== input.version) throw new ConflictError(node);
	try {
		await ctx.db.batch([
			ctx.db
				.update(planNodes)
				.set({ deletedAt: new Date(), version: input.version + 1, updatedAt: new Date() })
				.where(eq(planNodes.id, input.id)),
			auditEntry(ctx, {
				entity: 'node',
				entityId: input.id,
				action: 'delete',
				before: { title: node.title, code: node.code },
				after: null
			})
		]);
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(await readRow(ctx, input.id));
		throw error;
	}
}

export async function moveNode({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: { id: string; direction: 'up' | 'down' };
}) {
	ctx.authorize('plan.edit');
	const node = await readRow(ctx, input.id);
	if (!node || node.deletedAt) throw new NotFoundError('node not found');
	const siblings = await ctx.db
		.select({ id: planNodes.id, version: planNodes.version, position: planNodes.position })
		.from(planNodes)
		.where(
			and(
				node.parentId ? eq(planNodes.parentId, node.parentId) : isNull(planNodes.parentId),
				isNull(planNodes.deletedAt)
			)
		)
		.orderBy(asc(planNodes.position));
	const index = siblings.findIndex((s) => s.id === input.id);
	const other = siblings[input.direction === 'up' ? index - 1 : index + 1];
	const self = siblings[index]!;
	if (!other) return;
	try {
		await ctx.db.batch([
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
		]);
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(node);
		throw error;
	}
}
