// 成果指標 (KPIs): baseline, target, values per year, and progress toward the target.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { newKpiForm, setKpiValueInput, target, updateKpiInput, type KpiForm } from '../domain/forms.ts';
import { progress } from '../benchmarks/compute.ts';
import { indicatorValues, indicators, planNodes } from '@mamori/db/tenant';
import { auditEntry } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { runBatch, versionedWrite } from './versioned.ts';

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
		return { ...k, values: own, latest, progress: progress(k.baselineValue, k.targetValue, latest?.value ?? null) };
	});
}
export type KpiSummary = Awaited<ReturnType<typeof listKpis>>[number];

export async function readKpi({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(target, raw);
	const all = await listKpis({ ctx });
	const kpi = all.find((k) => k.id === input.id);
	if (!kpi) throw new NotFoundError('kpi');
	return kpi;
}

/** Enters (or corrects) the value of a KPI for one period. */
export async function setKpiValue({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(setKpiValueInput, raw);
	ctx.authorize('plan.edit');
	const readValue = async () =>
		(
			await ctx.db
				.select()
				.from(indicatorValues)
				.where(
					and(
						eq(indicatorValues.indicatorId, input.indicatorId),
						eq(indicatorValues.periodKind, input.periodKind),
						eq(indicatorValues.periodYear, input.periodYear)
					)
				)
		)[0];
	const [kpis, existing] = await Promise.all([
		ctx.db
			.select({ id: indicators.id })
			.from(indicators)
			.where(and(eq(indicators.id, input.indicatorId), isNull(indicators.deletedAt))),
		readValue()
	]);
	if (!kpis[0]) throw new NotFoundError('kpi');
	const values = { value: input.value, status: input.status, note: input.note ?? null };
	const audit = (before: { periodYear: number; value: number; status: string } | null) =>
		auditEntry(ctx, {
			entity: 'indicator',
			entityId: input.indicatorId,
			action: 'update',
			before: before && { periodYear: before.periodYear, value: before.value, status: before.status },
			after: { periodYear: input.periodYear, periodKind: input.periodKind, ...values }
		});
	if (!existing) {
		await runBatch(ctx, [
			ctx.db.insert(indicatorValues).values({
				id: newId(),
				indicatorId: input.indicatorId,
				periodKind: input.periodKind,
				periodYear: input.periodYear,
				...values
			}),
			audit(null)
		]);
		return;
	}
	await versionedWrite(ctx, {
		what: 'kpi value',
		read: readValue,
		expected: input.version,
		authorize: () => ctx.authorize('plan.edit'),
		write: (before) => [
			ctx.db
				.update(indicatorValues)
				.set({ ...values, version: before.version + 1, updatedAt: new Date(ctx.now()) })
				.where(eq(indicatorValues.id, before.id)),
			audit(before)
		]
	});
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

async function checkSharedIndicator(ctx: TenantContext, input: KpiFields) {
	if (!input.sharedIndicatorCode) return;
	const { indicatorCodes } = await ctx.shared();
	if (!indicatorCodes.has(input.sharedIndicatorCode)) throw invalid('sharedIndicatorCode', 'error_indicator_unknown');
}

export async function createKpi({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(newKpiForm, raw);
	ctx.authorize('plan.edit');
	await checkSharedIndicator(ctx, input);
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
	if (!nodes[0]) throw invalid('nodeId', 'validation_node_required');
	const id = newId();
	const columns = kpiColumns(input, 'fiscal_year');
	await runBatch(ctx, [
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

export async function updateKpi({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(updateKpiInput, raw);
	await versionedWrite(ctx, {
		what: 'kpi',
		read: async () => (await ctx.db.select().from(indicators).where(eq(indicators.id, input.id)))[0],
		gone: (row) => row.deletedAt !== null,
		expected: input.version,
		authorize: () => ctx.authorize('plan.edit'),
		write: async (before) => {
			await checkSharedIndicator(ctx, input);
			const columns = kpiColumns(input, before.baselinePeriodKind ?? 'fiscal_year');
			// Keep the document's own wording of baseline and target when the number did not change.
			if (before.baselineValue === columns.baselineValue) columns.baselineText = before.baselineText;
			if (before.targetValue === columns.targetValue) columns.targetText = before.targetText;
			if (before.targetYear === columns.targetYear) columns.targetPeriodKind = before.targetPeriodKind;
			return [
				ctx.db
					.update(indicators)
					.set({ ...columns, version: before.version + 1, updatedAt: new Date(ctx.now()) })
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
			];
		}
	});
}
