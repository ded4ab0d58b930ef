// The city's departments (担当課).
import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import { departments, initiativeDepartments, initiatives } from '@mamori/db/tenant';
import { departmentForm, renameDepartmentInput, versioned } from '../domain/forms.ts';
import { auditEntry, type EditArgs } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, parseInput } from '../errors.ts';
import { insertNew, lastPosition, nextPosition, planEntity, updateVersioned } from './versioned.ts';

/** The query for the city's departments in use, in their order, as a form offers them. */
export function departmentChoices(ctx: TenantContext) {
	return ctx.db
		.select({ id: departments.id, name: departments.name })
		.from(departments)
		.where(isNull(departments.deletedAt))
		.orderBy(asc(departments.position));
}

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

async function refuseTakenName(ctx: TenantContext, name: string, except?: string) {
	const rows = await ctx.db
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.name, name), except ? ne(departments.id, except) : undefined));
	if (rows.length > 0) throw invalid('name', 'error_department_name_taken');
}

/** One department with how many live initiatives name it. */
async function readDepartment(ctx: TenantContext, id: string) {
	const [rows, usage] = await ctx.db.batch([
		ctx.db.select().from(departments).where(eq(departments.id, id)),
		ctx.db
			.select({ n: count() })
			.from(initiativeDepartments)
			.innerJoin(
				initiatives,
				and(eq(initiatives.id, initiativeDepartments.initiativeId), isNull(initiatives.deletedAt))
			)
			.where(eq(initiativeDepartments.departmentId, id))
	]);
	const row = rows[0];
	return row && { ...row, initiativeCount: usage[0]?.n ?? 0 };
}

const department = planEntity('department', readDepartment);

/** The statements of one change of a department: the row at its next version, and its history. */
function change(
	ctx: TenantContext,
	before: { id: string; version: number; name: string },
	set: { name?: string; deletedAt?: Date },
	action: 'update' | 'restore' | 'delete',
	after: { title: string } | null
) {
	return [
		updateVersioned(ctx, departments, before, set),
		auditEntry(ctx, { entity: 'department', entityId: before.id, action, before: { title: before.name }, after })
	];
}

export async function createDepartment({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(departmentForm, raw);
	await refuseTakenName(ctx, input.name);
	const last = await lastPosition(ctx, departments.position);
	return insertNew(ctx, (id) => [
		ctx.db.insert(departments).values({ id, name: input.name, position: nextPosition(last) }),
		auditEntry(ctx, {
			entity: 'department',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.name }
		})
	]);
}

export async function renameDepartment({ ctx, input: raw, action = 'update' }: EditArgs) {
	const input = parseInput(renameDepartmentInput, raw);
	await department.write(ctx, input, async (before) => {
		await refuseTakenName(ctx, input.name, input.id);
		return change(ctx, before, { name: input.name }, action, { title: input.name });
	});
}

/** A department still named by an initiative cannot be deleted: the plan would lose who is responsible. */
export async function deleteDepartment({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(versioned, raw);
	await department.write(ctx, input, (row) => {
		if (row.initiativeCount > 0) throw invalid('form', 'error_department_in_use', { count: row.initiativeCount });
		return change(ctx, row, { deletedAt: new Date(ctx.now()) }, 'delete', null);
	});
}
