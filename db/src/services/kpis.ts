// 成果指標 (KPIs): baseline, target, values per year, and progress toward the target.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { newId } from '../id.ts';
import type { KpiValueForm } from '../domain/forms.ts';
import { indicatorValues, indicators, planNodes } from '../tenant/schema.ts';
import { auditEntry } from './audit.ts';
import { isVersionConflict, type TenantContext } from './context.ts';
import { ConflictError, NotFoundError } from './errors.ts';

/**
 * Share of the way from baseline to target, 0–1 and beyond; null without both ends. Works in the
 * right direction for indicators where lower is better (a fall toward the target is progress).
 */
export function progressTowardTarget(
	k: { baselineValue: number | null; targetValue: number | null },
	value: number | null
): number | null {
	if (value === null || k.baselineValue === null || k.targetValue === null) return null;
	const span = k.targetValue - k.baselineValue;
	if (span === 0) return value === k.targetValue ? 1 : 0;
	return (value - k.baselineValue) / span;
}

const kpiFields = {
	id: indicators.id,
	version: indicators.version,
	nodeId: indicators.nodeId,
	nodeCode: planNodes.code,
	nodeTitle: planNodes.title,
	name: indicators.name,
	unit: indicators.unit,
	direction: indicators.direction,
	sharedIndicatorCode: indicators.sharedIndicatorCode,
	baselineValue: indicators.baselineValue,
	baselineText: indicators.baselineText,
	baselinePeriodKind: indicators.baselinePeriodKind,
	baselineYear: indicators.baselineYear,
	baselineNote: indicators.baselineNote,
	targetValue: indicators.targetValue,
	targetText: indicators.targetText,
	targetPeriodKind: indicators.targetPeriodKind,
	targetYear: indicators.targetYear,
	targetNote: indicators.targetNote
};

export async function listKpis({ ctx }: { ctx: TenantContext }) {
	ctx.authorize('plan.read');
	const [rows, values] = await ctx.db.batch([
		ctx.db
			.select(kpiFields)
			.from(indicators)
			.innerJoin(planNodes, eq(planNodes.id, indicators.nodeId))
			.where(isNull(indicators.deletedAt))
			.orderBy(asc(planNodes.position), asc(indicators.position)),
		ctx.db.select().from(indicatorValues).orderBy(asc(indicatorValues.periodYear))
	]);
	const byKpi = Map.groupBy(values, (v) => v.indicatorId);
	return rows.map((k) => {
		const own = byKpi.get(k.id) ?? [];
		const latest = own.at(-1) ?? null;
		return { ...k, values: own, latest, progress: progressTowardTarget(k, latest?.value ?? null) };
	});
}
export type KpiSummary = Awaited<ReturnType<typeof listKpis>>[number];

export async function readKpi({ ctx, input }: { ctx: TenantContext; input: { id: string } }) {
	const all = await listKpis({ ctx });
	const kpi = all.find((k) => k.id === input.id);
	if (!kpi) throw new NotFoundError('kpi not found');
	return kpi;
}

/** Enters (or corrects) the value of a KPI for one period. */
export async function setKpiValue({
	ctx,
	input
}: {
	ctx: TenantContext;
	input: KpiValueForm & { indicatorId: string; version?: number };
}) {
	ctx.authorize('plan.edit');
	const [kpis, existing] = await ctx.db.batch([
		ctx.db
			.select({ id: indicators.id })
			.from(indicators)
			.where(and(eq(indicators.id, input.indicatorId), isNull(indicators.deletedAt))),
		ctx.db
			.select()
			.from(indicatorValues)
			.where(
				and(
					eq(indicatorValues.indicatorId, input.indicatorId),
					eq(indicatorValues.periodKind, input.periodKind),
					eq(indicatorValues.periodYear, input.periodYear)
				)
			)
	]);
	if (!kpis[0]) throw new NotFoundError('kpi not found');
	const before = existing[0] ?? null;
	const values = { value: input.value, status: input.status, note: input.note ?? null };
	if (before && input.version !== undefined && before.version !== input.version) throw new ConflictError(before);
	try {
		await ctx.db.batch([
			before
				? ctx.db
						.update(indicatorValues)
						.set({ ...values, version: (input.version ?? before.version) + 1, updatedAt: new Date() })
						.where(eq(indicatorValues.id, before.id))
				: ctx.db.insert(indicatorValues).values({
						id: newId(),
						indicatorId: input.indicatorId,
						periodKind: input.periodKind,
						periodYear: input.periodYear,
						...values
					}),
			auditEntry(ctx, {
				entity: 'indicator',
				entityId: input.indicatorId,
				action: 'update',
				before: before && { periodYear: before.periodYear, value: before.value, status: before.status },
				after: { periodYear: input.periodYear, periodKind: input.periodKind, ...values }
			})
		]);
	} catch (error) {
		if (isVersionConflict(error)) {
			const [current] = await ctx.db.select().from(indicatorValues).where(eq(indicatorValues.id, before!.id));
			throw new ConflictError(current);
		}
		throw error;
	}
}
