// 成果指標 (KPIs): baseline, target, values per year, and progress toward the target.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import type { KpiForm, KpiValueForm } from '../domain/forms.ts';
import { indicatorValues, indicators, planNodes } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import { isVersionConflict, type TenantContext } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

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

type KpiFields = Omit<KpiForm, 'version'>;

function kpiColumns(input: KpiFields, periodKind: 'fiscal_year' | 'calendar_year') {
	return {
		name: input.name,
		unit: input.unit,
		direction: input.direction,
		sharedIndicatorCode: input.sharedIndicatorCode ?? null,
		baselineValue: input.baselineValue ?? null,
		baselineYear: input.baselineYear ?? null,
		baselinePeriodKind: input.baselineYear !== undefined ? periodKind : null,
		baselineText:
			input.baselineValue !== undefined ? `${input.baselineValue.toLocaleString('ja-JP')}${input.unit}` : null,
		targetValue: input.targetValue ?? null,
		targetYear: input.targetYear ?? null,
		targetPeriodKind: (input.targetYear !== undefined ? 'fiscal_year' : null) as 'fiscal_year' | 'calendar_year' | null,
		targetText: input.targetValue !== undefined ? `${input.targetValue.toLocaleString('ja-JP')}${input.unit}` : null
	};
}

function checkSharedIndicator(input: KpiFields, indicatorCodes: Set<string>) {
	if (input.sharedIndicatorCode && !indicatorCodes.has(input.sharedIndicatorCode))
		throw new ValidationError({ sharedIndicatorCode: '存在しない共通指標です。' });
}

export async function createKpi({
	ctx,
	input,
	indicatorCodes
}: {
	ctx: TenantContext;
	input: KpiFields & { nodeId: string };
	indicatorCodes: Set<string>;
}) {
	ctx.authorize('plan.edit');
	checkSharedIndicator(input, indicatorCodes);
	const [nodes, last] = await ctx.db.batch([
		ctx.db
			.select({ id: planNodes.id })
			.from(planNodes)
			.where(and(eq(planNodes.id, input.nodeId), isNull(planNodes.deletedAt))),
		ctx.db
			.select({ position: max(indicators.position) })
			.from(indicators)
			.where(eq(indicators.nodeId, input.nodeId))
	]);
	if (!nodes[0]) throw new ValidationError({ nodeId: '施策を選んでください。' });
	const id = newId();
	const columns = kpiColumns(input, 'fiscal_year');
	await ctx.db.batch([
		ctx.db.insert(indicators).values({ id, nodeId: input.nodeId, position: (last[0]?.position ?? -1) + 1, ...columns }),
		auditEntry(ctx, {
			entity: 'indicator',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.name, ...columns }
		})
	]);
	return { id };
}

export async function updateKpi({
	ctx,
	input,
	indicatorCodes
}: {
	ctx: TenantContext;
	input: KpiFields & { id: string; version: number };
	indicatorCodes: Set<string>;
}) {
	ctx.authorize('plan.edit');
	checkSharedIndicator(input, indicatorCodes);
	const [before] = await ctx.db.select().from(indicators).where(eq(indicators.id, input.id));
	if (!before || before.deletedAt) throw new NotFoundError('kpi not found');
	if (before.version !== input.version) throw new ConflictError(before);
	const columns = kpiColumns(input, before.baselinePeriodKind ?? 'fiscal_year');
	// Keep the document's own wording of baseline and target when the number did not change.
	if (before.baselineValue === columns.baselineValue) columns.baselineText = before.baselineText;
	if (before.targetValue === columns.targetValue) columns.targetText = before.targetText;
	if (before.targetYear === columns.targetYear) columns.targetPeriodKind = before.targetPeriodKind;
	try {
		await ctx.db.batch([
			ctx.db
				.update(indicators)
				.set({ ...columns, version: input.version + 1, updatedAt: new Date() })
				.where(eq(indicators.id, input.id)),
			auditEntry(ctx, {
				entity: 'indicator',
				entityId: input.id,
				action: 'update',
				before: {
					title: before.name,
					baselineValue: before.baselineValue,
					targetValue: before.targetValue,
					targetYear: before.targetYear
				},
				after: {
					title: input.name,
					baselineValue: columns.baselineValue,
					targetValue: columns.targetValue,
					targetYear: columns.targetYear
				}
			})
		]);
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(before);
		throw error;
	}
}
