// Yearly records (年度の取組 / 実績 / 予定) with their structured metrics.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import type { RecordForm } from '../domain/forms.ts';
import { departments, initiativeDepartments, initiatives, metrics, yearlyRecords } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import type { TenantContext } from '../context.ts';
import { NotFoundError, ValidationError } from '../errors.ts';

export async function addYearlyRecord({
	ctx,
	input,
	indicatorCodes
}: {
	ctx: TenantContext;
	input: RecordForm & { initiativeId: string };
	indicatorCodes: Set<string>;
}): Promise<{ id: string }> {
	const [found, deps, last, known] = await ctx.db.batch([
		ctx.db
			.select({ id: initiatives.id })
			.from(initiatives)
			.where(and(eq(initiatives.id, input.initiativeId), isNull(initiatives.deletedAt))),
		ctx.db
			.select({ id: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.where(eq(initiativeDepartments.initiativeId, input.initiativeId)),
		ctx.db
			.select({ position: max(yearlyRecords.position) })
			.from(yearlyRecords)
			.where(eq(yearlyRecords.initiativeId, input.initiativeId)),
		ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt))
	]);
	if (!found[0]) throw new NotFoundError('initiative not found');
	ctx.authorize('plan.edit', { departmentIds: input.departmentId ? [input.departmentId] : deps.map((d) => d.id) });
	const errors: Record<string, string> = {};
	if (input.departmentId && !known.some((d) => d.id === input.departmentId))
		errors.departmentId = '担当課の指定が正しくありません。';
	input.metrics.forEach((m, i) => {
		if (m.indicatorCode && !indicatorCodes.has(m.indicatorCode))
			errors[`metrics.${i}.indicatorCode`] = '存在しない共通指標です。';
	});
	if (Object.keys(errors).length > 0) throw new ValidationError(errors);

	const id = newId();
	await ctx.db.batch([
		ctx.db.insert(yearlyRecords).values({
			id,
			initiativeId: input.initiativeId,
			fiscalYear: input.fiscalYear,
			phase: input.phase,
			departmentId: input.departmentId ?? null,
			text: input.text,
			position: (last[0]?.position ?? -1) + 1
		}),
		...(input.metrics.length
			? [
					ctx.db.insert(metrics).values(
						input.metrics.map((m, position) => ({
							id: newId(),
							recordId: id,
							label: m.label,
							value: m.value,
							unit: m.unit,
							indicatorCode: m.indicatorCode ?? null,
							periodKind: 'fiscal_year' as const,
							periodYear: input.fiscalYear,
							position
						}))
					)
				]
			: []),
		auditEntry(ctx, {
			entity: 'initiative',
			entityId: input.initiativeId,
			action: 'update',
			before: null,
			after: { record: { fiscalYear: input.fiscalYear, phase: input.phase, text: input.text, metrics: input.metrics } }
		})
	]);
	return { id };
}

export async function listRecordYears({ ctx }: { ctx: TenantContext }): Promise<number[]> {
	ctx.authorize('plan.read');
	const rows = await ctx.db
		.selectDistinct({ year: yearlyRecords.fiscalYear })
		.from(yearlyRecords)
		.where(isNull(yearlyRecords.deletedAt))
		.orderBy(asc(yearlyRecords.fiscalYear));
	return rows.map((r) => r.year);
}
