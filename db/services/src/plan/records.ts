// Yearly records (年度の取組 / 実績 / 予定) with their structured metrics.
import { and, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { addRecordInput } from '../domain/forms.ts';
import { departments, initiativeDepartments, initiatives, metrics, yearlyRecords } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { InvalidError, NotFoundError, parseInput, type FieldIssues } from '../errors.ts';
import { runBatch } from './versioned.ts';

export async function addYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<{ id: string }> {
	const input = parseInput(addRecordInput, raw);
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
	if (!found[0]) throw new NotFoundError('initiative');
	ctx.authorize('plan.edit', { departmentIds: input.departmentId ? [input.departmentId] : deps.map((d) => d.id) });
	const issues: FieldIssues = {};
	if (input.departmentId && !known.some((d) => d.id === input.departmentId))
		issues.departmentId = { key: 'error_department_unknown' };
	Object.assign(issues, await unknownIndicators(ctx, input.metrics));
	if (Object.keys(issues).length > 0) throw new InvalidError(issues);

	const id = newId();
	await runBatch(ctx, [
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

/** Metrics that name a shared indicator must name one that exists (asks the core only when one does). */
export async function unknownIndicators(
	ctx: TenantContext,
	list: { indicatorCode?: string | undefined }[],
	prefix = 'metrics.'
) {
	const issues: FieldIssues = {};
	if (!list.some((m) => m.indicatorCode)) return issues;
	const { indicatorCodes } = await ctx.shared();
	list.forEach((m, i) => {
		if (m.indicatorCode && !indicatorCodes.has(m.indicatorCode))
			issues[`${prefix}${i}.indicatorCode`] = { key: 'error_indicator_unknown' };
	});
	return issues;
}
