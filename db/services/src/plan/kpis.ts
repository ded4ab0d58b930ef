// 成果指標 (KPIs): baseline, target, values per year, and progress toward the target.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { newKpiForm, setKpiValueInput, target, updateKpiInput, type KpiForm } from '../domain/forms.ts';
import { progress } from '../benchmarks/compute.ts';
import { indicatorValues, indicators, planNodes } from '@mamori/db/tenant';
import { auditEntry, type EditArgs } from './audit.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, InvalidError, NotFoundError, parseInput } from '../errors.ts';
import { implausible } from '../domain/fields.ts';
import { indicatorMisfit } from '../domain/indicator-fit.ts';
import {
	insertNew,
	lastPosition,
	liveRow,
	nextPosition,
	runBatch,
	updateVersioned,
	versionedWrite
} from './versioned.ts';

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
	stockFlow: indicators.stockFlow,
	baselineValue: indicators.baselineValue,
	baselineText: indicators.baselineText,
	baselinePeriodKind: indicators.baselinePeriodKind,
	baselineYear: indicators.baselineYear,
	baselineStatus: indicators.baselineStatus,
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

/** Refuses a value implausible in its KPI's unit (件 a whole number, % within 0–100); a gone KPI is not found. */
export async function checkKpiValue(ctx: TenantContext, indicatorId: string, value: number): Promise<void> {
	const [kpi] = await ctx.db
		.select({ unit: indicators.unit })
		.from(indicators)
		.where(and(eq(indicators.id, indicatorId), isNull(indicators.deletedAt)));
	if (!kpi) throw new NotFoundError('kpi');
	const problem = implausible(value, kpi.unit);
	if (problem) throw new InvalidError({ value: problem });
}

/** Enters (or corrects) the value of a KPI for one period. */
export async function setKpiValue({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(setKpiValueInput, raw);
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
	const [, existing] = await Promise.all([checkKpiValue(ctx, input.indicatorId, input.value), readValue()]);
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
		write: (before) => [updateVersioned(ctx, indicatorValues, before, values), audit(before)]
	});
}

type KpiFields = Omit<KpiForm, 'version'>;

/** What history keeps of a KPI: every field its form sets, so that any version can be restored. */
const kpiSnapshot = (k: ReturnType<typeof kpiColumns>) => ({
	title: k.name,
	unit: k.unit,
	direction: k.direction,
	sharedIndicatorCode: k.sharedIndicatorCode,
	baselineValue: k.baselineValue,
	baselineYear: k.baselineYear,
	targetValue: k.targetValue,
	targetYear: k.targetYear
});

function kpiColumns(input: KpiFields, periodKind: 'fiscal_year' | 'calendar_year') {
	return {
		name: input.name,
		unit: input.unit,
		direction: input.direction,
		sharedIndicatorCode: input.sharedIndicatorCode ?? null,
		stockFlow: input.stockFlow ?? null,
		baselineValue: input.baselineValue ?? null,
		baselineYear: input.baselineYear ?? null,
		baselinePeriodKind: input.baselineYear !== undefined ? (input.baselinePeriodKind ?? periodKind) : null,
		baselineStatus: input.baselineValue !== undefined ? (input.baselineStatus ?? 'unknown') : null,
		baselineText:
			input.baselineValue !== undefined ? `${input.baselineValue.toLocaleString('ja-JP')}${input.unit}` : null,
		targetValue: input.targetValue ?? null,
		targetYear: input.targetYear ?? null,
		targetPeriodKind: (input.targetYear !== undefined ? 'fiscal_year' : null) as 'fiscal_year' | 'calendar_year' | null,
		targetText: input.targetValue !== undefined ? `${input.targetValue.toLocaleString('ja-JP')}${input.unit}` : null
	};
}

/**
 * A KPI mapped to a shared indicator must name one that exists and fit it: its unit, the period
 * kind it is measured by (its baseline's, else the indicator's own), stock or flow.
 */
async function checkSharedIndicator(ctx: TenantContext, columns: ReturnType<typeof kpiColumns>) {
	if (!columns.sharedIndicatorCode) return;
	const { indicators: shared } = await ctx.shared();
	const indicator = shared.find((d) => d.code === columns.sharedIndicatorCode);
	if (!indicator) throw invalid('sharedIndicatorCode', 'error_indicator_unknown');
	const misfit = indicatorMisfit(indicator, {
		unit: columns.unit,
		periodKind: columns.baselinePeriodKind ?? indicator.periodKind,
		stockFlow: columns.stockFlow
	});
	if (misfit) throw invalid('sharedIndicatorCode', misfit.key, misfit.params);
}

export async function createKpi({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(newKpiForm, raw);
	const columns = kpiColumns(input, 'fiscal_year');
	await checkSharedIndicator(ctx, columns);
	const [nodes, last] = await ctx.db.batch([
		liveRow(ctx, planNodes, input.nodeId),
		lastPosition(ctx, indicators.position, eq(indicators.nodeId, input.nodeId))
	]);
	if (!nodes[0]) throw invalid('nodeId', 'validation_node_required');
	return insertNew(ctx, (id) => [
		ctx.db.insert(indicators).values({ id, nodeId: input.nodeId, position: nextPosition(last), ...columns }),
		auditEntry(ctx, {
			entity: 'indicator',
			entityId: id,
			action: 'create',
			before: null,
			after: { title: input.name, ...columns }
		})
	]);
}

export async function updateKpi({ ctx, input: raw, action = 'update' }: EditArgs) {
	const input = parseInput(updateKpiInput, raw);
	await versionedWrite(ctx, {
		what: 'kpi',
		read: async () => (await ctx.db.select().from(indicators).where(eq(indicators.id, input.id)))[0],
		gone: (row) => row.deletedAt !== null,
		expected: input.version,
		authorize: () => ctx.authorize('plan.edit'),
		write: async (before) => {
			const columns = kpiColumns(input, before.baselinePeriodKind ?? 'fiscal_year');
			// Keep the document's own wording of baseline and target when the number did not change.
			if (before.baselineValue === columns.baselineValue) {
				columns.baselineText = before.baselineText;
				if (!input.baselineStatus) columns.baselineStatus = before.baselineStatus;
			}
			if (before.targetValue === columns.targetValue) columns.targetText = before.targetText;
			if (before.targetYear === columns.targetYear) columns.targetPeriodKind = before.targetPeriodKind;
			await checkSharedIndicator(ctx, columns);
			return [
				updateVersioned(ctx, indicators, before, columns),
				auditEntry(ctx, {
					entity: 'indicator',
					entityId: input.id,
					action,
					before: kpiSnapshot(before),
					after: kpiSnapshot(columns)
				})
			];
		}
	});
}
