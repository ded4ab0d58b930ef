// The city's departments (担当課).
import { and, asc, count, eq, isNull, max, ne } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { departments, initiativeDepartments, initiatives } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import { isVersionConflict, type TenantContext } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

export async function listDepartments({ ctx }: { ctx: TenantContext }) {
	ctx.authorize('plan.read');
	const [rows, usage] = await ctx.db.batch([
		ctx.db.select().from(departments).where(isNull(departments.deletedAt)).orderBy(asc(departments.position)),
		ctx.db
			.select({ departmentId: initiativeDepartments.departmentId, n: count() })
			.from(initiativeDepartments)
			.innerJoin(
				initiatives,
				and(eq(initiatives.id, initiativeDepartments.initiativeId), isNull(initiatives.deletedAt))
			)
			.groupBy(initiativeDepartments.departmentId)
	]);
	const used = new Map(usage.map((u) => [u.departmentId, u.n]));
	return rows.map((d) => ({ id: d.id, name: d.name, version: d.version, initiativeCount: used.get(d.id) ?? 0 }));
}

async function nameTaken(ctx: TenantContext, name: string, except?: string) {
	const rows = await ctx.db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.name, name), except ? ne(departments.id, except) : undefined));
	return rows.length > 0;
}

export async function createDepartment({ ctx, input }: { ctx: TenantContext; input: { name: string } }) {
	ctx.authorize('plan.edit');
	if (await nameTaken(ctx, input.name)) throw new ValidationError({ name: '同じ名前の担当課がすでにあります。' });
	const [last] = await ctx.db.select({ position: max(departments.position) }).from(departments);
	const id = newId();
	await ctx.db.batch([
		ctx.db.insert(departments).values({ id, name: input.name, position: (last?.position ?? -1) + 1 }),
		auditEntry(ctx, {
			entity: 'department',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.name }
		})
	]);
	return { id };
}

export async function renameDepartment({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: { id: string; version: number; name: string };
}) {
	ctx.authorize('plan.edit');
	const [before] = await ctx.db.select().from(departments).where(eq(departments.id, input.id));
	if (!before || before.deletedAt) throw new NotFoundError('department not found');
	if (await nameTaken(ctx, input.name, input.id))
		throw new ValidationError({ name: '同じ名前の担当課がすでにあります。' });
	if (before.version !== input.version) throw new ConflictError(before);
	try {
		await ctx.db.batch([
			ctx.db
				.update(departments)
				.set({ name: input.name, version: input.version + 1, updatedAt: new Date() })
				.where(eq(departments.id, input.id)),
			auditEntry(ctx, {
				entity: 'department',
				entityId: input.id,
				action: 'update',
				before: { title: before.name },
				after: { title: input.name }
			})
		]);
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(before);
		throw error;
	}
}

/** A department still named by an initiative cannot be deleted: the plan would lose who is responsible. */
export async function deleteDepartment({ ctx, input }: { ctx: TenantContext; input: { id: string; version: number } }) {
	ctx.authorize('plan.edit');
	const all = await listDepartments({ ctx });
	const department = all.find((d) => d.id === input.id);
	if (!department) throw new NotFoundError('department not found');
	if (department.initiativeCount > 0)
		throw new ValidationError({
			form: `この担当課は ${department.initiativeCount} 件の取組に設定されているため削除できません。`
		});
	if (department.version !== input.version) throw new ConflictError(department);
	await ctx.db.batch([
		ctx.db
			.update(departments)
			.set({ deletedAt: new Date(), version: input.version + 1 })
			.where(eq(departments.id, input.id)),
		auditEntry(ctx, {
			entity: 'department',
			entityId: input.id,
			action: 'delete',
			before: { title: department.name },
			after: null
		})
	]);
}
