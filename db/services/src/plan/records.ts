// Yearly records (年度の取組 / 実績 / 予定) with their structured metrics.
import { eq, isNull } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { addRecordInput, recordOwner } from '../domain/forms.ts';
import type { ValueStatus } from '../domain/fields.ts';
import {
	departments,
	initiativeDepartments,
	initiatives,
	metrics,
	planNodes,
	plans,
	yearlyRecords,
	type RecordColumns
} from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { InvalidError, NotFoundError, parseInput, type FieldIssues } from '../errors.ts';
import { indicatorMisfit, type MappedFigure } from '../domain/indicator-fit.ts';
import { insertNew, lastPosition, liveRow, nextPosition } from './versioned.ts';

export async function addYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<{ id: string }> {
	// Whose initiative it is is decided first: on another department's, the input is not even read.
	const { initiativeId } = parseInput(recordOwner, raw);
	const [found, deps, last, known] = await ctx.db.batch([
		liveRow(ctx, initiatives, initiativeId),
		ctx.db
			.select({ id: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.where(eq(initiativeDepartments.initiativeId, initiativeId)),
		lastPosition(ctx, yearlyRecords.position, eq(yearlyRecords.initiativeId, initiativeId)),
		ctx.db.select({ id: departments.id }).from(departments).where(isNull(departments.deletedAt))
	]);
	if (!found[0]) throw new NotFoundError('initiative');
	const initiativeDepartmentIds = deps.map((d) => d.id);
	authorizeRecord(ctx, { initiativeDepartmentIds });
	const input = parseInput(addRecordInput, raw);
	authorizeRecord(ctx, { initiativeDepartmentIds, departmentId: input.departmentId });
	const issues: FieldIssues = {};
	if (input.departmentId && !known.some((d) => d.id === input.departmentId))
		issues.departmentId = { key: 'error_department_unknown' };
	Object.assign(
		issues,
		await indicatorIssues(
			ctx,
			input.metrics.map((m) => ({ ...m, periodKind: 'fiscal_year' }))
		)
	);
	if (Object.keys(issues).length > 0) throw new InvalidError(issues);

	return insertNew(ctx, (id) => [
		ctx.db.insert(yearlyRecords).values({
			id,
			initiativeId: input.initiativeId,
			fiscalYear: input.fiscalYear,
			phase: input.phase,
			departmentId: input.departmentId ?? null,
			text: input.text,
			position: nextPosition(last)
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
							status: metricStatus(m.status, input.phase),
							stockFlow: m.stockFlow ?? null,
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
}

/**
 * Who may write a yearly record, its metrics, or a correction of either: the one rule, asked by
 * every record and metric verb. A record is its initiative's, so a department-limited editor
 * writes it only on an initiative of one of their departments; and the department the record
 * names, when it names one, must be theirs too (they do not write for another department).
 */
export function authorizeRecord(
	ctx: TenantContext,
	record: { initiativeDepartmentIds: readonly string[]; departmentId?: string | null | undefined }
): void {
	ctx.authorize('plan.edit', { departmentIds: [...record.initiativeDepartmentIds] });
	if (record.departmentId) ctx.authorize('plan.edit', { departmentIds: [record.departmentId] });
}

/** A figure of a plan is planned, whatever the form said; else what the editor chose (unknown when not said). */
export function metricStatus(status: ValueStatus | undefined, phase: 'actual' | 'plan' | 'summary') {
	return phase === 'plan' ? 'planned' : (status ?? 'unknown');
}

/**
 * Metrics that name a shared indicator must name one that exists and fit it (unit, period kind,
 * stock or flow: domain/indicator-fit.ts); asks the core only when one names an indicator.
 */
export async function indicatorIssues(
	ctx: TenantContext,
	list: MappedMetric[],
	prefix = 'metrics.'
): Promise<FieldIssues> {
	const issues: FieldIssues = {};
	if (!list.some((m) => m.indicatorCode)) return issues;
	const { indicators } = await ctx.shared();
	list.forEach((m, i) => {
		if (!m.indicatorCode) return;
		const field = `${prefix}${i}.indicatorCode`;
		const indicator = indicators.find((d) => d.code === m.indicatorCode);
		const misfit = indicator && indicatorMisfit(indicator, m);
		if (!indicator) issues[field] = { key: 'error_indicator_unknown' };
		else if (misfit) issues[field] = { key: misfit.key, params: misfit.params };
	});
	return issues;
}

export interface MappedMetric extends MappedFigure {
	indicatorCode?: string | undefined;
}

/** What a plan's record columns are headed by: the plan's own words, per node where a section differs. */
export function recordColumnQueries(ctx: TenantContext) {
	return [
		ctx.db
			.select({ id: planNodes.id, parentId: planNodes.parentId, recordColumns: planNodes.recordColumns })
			.from(planNodes),
		ctx.db.select({ recordColumns: plans.recordColumns }).from(plans).limit(1)
	] as const;
}

/**
 * The headings of a node's record columns, per phase: the nearest section's own (小金井市's 実績
 * in 2 and 3), else the plan's (平成30年度の取組み), else none (the app's words are used).
 */
export function recordColumnsOf(
	nodeId: string,
	nodes: { id: string; parentId: string | null; recordColumns: RecordColumns | null }[],
	planColumns: RecordColumns | null | undefined
): RecordColumns {
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const chain: RecordColumns[] = [];
	for (let n = byId.get(nodeId); n && chain.length <= nodes.length; n = n.parentId ? byId.get(n.parentId) : undefined)
		if (n.recordColumns) chain.push(n.recordColumns);
	return Object.assign({}, planColumns ?? {}, ...chain.reverse());
}
