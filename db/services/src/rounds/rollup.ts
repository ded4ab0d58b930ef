// How far the plan got in a fiscal year: each initiative's status from its departments' reported
// progress, counted for every policy area (its whole subtree) and the whole plan, with the mean
// progress of the area's KPIs toward their targets. One batch.
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import {
	indicators,
	indicatorValues,
	initiatives,
	planNodes,
	plans,
	reportingRounds,
	yearlyRecords,
	type ProgressLabels,
	type ProgressStatus
} from '@mamori/db/tenant';
import type { VerbArgs } from '../context.ts';
import { progressQuery } from '../domain/forms.ts';
import { fiscalYearOf } from '../domain/fiscal-year.ts';
import { progress } from '../benchmarks/compute.ts';
import { parseInput } from '../errors.ts';
import { rollupStatuses } from './rollup-statuses.ts';

/** An initiative's status in a year: a reported progress, or none reported. */
export type RollupStatus = ProgressStatus | 'unreported';

export { rollupStatuses };

/** Least advanced first: an initiative is as far as its least advanced department. */
const advance: Record<Exclude<ProgressStatus, 'cancelled'>, number> = {
	not_done: 0,
	partial: 1,
	done: 2,
	completed: 3
};

/**
 * The status of an initiative from the progress its departments reported for the year: the least
 * advanced of them; cancelled only when every one is; nothing reported is 'unreported'.
 */
export function initiativeStatus(reported: readonly ProgressStatus[]): RollupStatus {
	if (reported.length === 0) return 'unreported';
	const going = reported.filter((p): p is Exclude<ProgressStatus, 'cancelled'> => p !== 'cancelled');
	if (going.length === 0) return 'cancelled';
	return going.reduce((least, p) => (advance[p] < advance[least] ? p : least));
}

export type StatusCounts = Record<RollupStatus, number>;

const noCounts = (): StatusCounts => ({
	not_done: 0,
	partial: 0,
	done: 0,
	completed: 0,
	cancelled: 0,
	unreported: 0
});

/**
 * 実施率 = (実施 + 完了) ÷ (all − 中止 − 未報告): of the initiatives that reported and go on, the
 * share done or completed; 一部実施 counts in the divisor, not as done. Null when none reported.
 */
export function implementationRate(counts: StatusCounts): number | null {
	const total = rollupStatuses.reduce((sum, s) => sum + counts[s], 0);
	const counted = total - counts.cancelled - counts.unreported;
	return counted === 0 ? null : (counts.done + counts.completed) / counted;
}

/**
 * A KPI's progress toward its target: the share of the way from baseline to target, in the KPI's
 * direction, bounded to 0–1 (beyond the target is 1, worse than the baseline 0). Null when the
 * baseline, the target or the value is missing.
 */
export function kpiProgress(
	kpi: { direction: 'higher' | 'lower'; baselineValue: number | null; targetValue: number | null },
	value: number | null
): number | null {
	const { baselineValue: baseline, targetValue: target } = kpi;
	if (baseline === null || target === null || value === null) return null;
	// A target equal to its baseline is met by any value at least as good as it.
	const share =
		baseline === target
			? Number(kpi.direction === 'higher' ? value >= target : value <= target)
			: progress(baseline, target, value)!;
	return Math.min(1, Math.max(0, share));
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

export interface KpiRollup {
	/** The KPIs counted (the area's and its sub-areas'). */
	count: number;
	/** Of those, the ones with a baseline, a target and a value at or before the year. */
	measured: number;
	/** The mean of the measured KPIs' progress (0–1); null when none is measured. */
	progress: number | null;
}

export interface Rollup {
	counts: StatusCounts;
	total: number;
	rate: number | null;
	kpis: KpiRollup;
}

function rollupOf(statuses: RollupStatus[], kpis: (number | null)[]): Rollup {
	const counts = noCounts();
	for (const s of statuses) counts[s] += 1;
	const measured = kpis.filter((p): p is number => p !== null);
	return {
		counts,
		total: statuses.length,
		rate: implementationRate(counts),
		kpis: { count: kpis.length, measured: measured.length, progress: mean(measured) }
	};
}

export async function readProgressRollup({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(progressQuery, raw);
	const [planRows, nodes, items, years, rounds, kpis, reports, allValues] = await ctx.db.batch([
		ctx.db.select().from(plans).orderBy(asc(plans.createdAt)).limit(1),
		ctx.db
			.select({
				id: planNodes.id,
				parentId: planNodes.parentId,
				code: planNodes.code,
				title: planNodes.title
			})
			.from(planNodes)
			.where(isNull(planNodes.deletedAt))
			.orderBy(asc(planNodes.position)),
		ctx.db
			.select({ id: initiatives.id, nodeId: initiatives.nodeId, code: initiatives.code, title: initiatives.title })
			.from(initiatives)
			.where(isNull(initiatives.deletedAt))
			.orderBy(asc(initiatives.position)),
		ctx.db
			.selectDistinct({ fiscalYear: yearlyRecords.fiscalYear })
			.from(yearlyRecords)
			.where(and(eq(yearlyRecords.phase, 'actual'), isNull(yearlyRecords.deletedAt))),
		ctx.db
			.select({ fiscalYear: reportingRounds.fiscalYear, progressLabels: reportingRounds.progressLabels })
			.from(reportingRounds),
		ctx.db
			.select({
				id: indicators.id,
				nodeId: indicators.nodeId,
				direction: indicators.direction,
				baselineValue: indicators.baselineValue,
				targetValue: indicators.targetValue
			})
			.from(indicators)
			.where(isNull(indicators.deletedAt)),
		// Every year's, so that the year can be chosen from the rows above without a second round trip.
		ctx.db
			.select({
				initiativeId: yearlyRecords.initiativeId,
				fiscalYear: yearlyRecords.fiscalYear,
				progress: yearlyRecords.progress
			})
			.from(yearlyRecords)
			.where(
				and(eq(yearlyRecords.phase, 'actual'), isNull(yearlyRecords.deletedAt), isNotNull(yearlyRecords.progress))
			),
		ctx.db
			.select({
				indicatorId: indicatorValues.indicatorId,
				periodYear: indicatorValues.periodYear,
				value: indicatorValues.value
			})
			.from(indicatorValues)
			.orderBy(asc(indicatorValues.periodYear))
	]);
	// The year asked for; else the latest round's, else the latest year with actual records, else this year.
	const latestOf = (ys: number[]) => (ys.length ? Math.max(...ys) : undefined);
	const year =
		input.fiscalYear ??
		latestOf(rounds.map((r) => r.fiscalYear)) ??
		latestOf(years.map((y) => y.fiscalYear)) ??
		fiscalYearOf(new Date(ctx.now()));
	const reported = reports.filter((r) => r.fiscalYear === year);
	const values = allValues.filter((v) => v.periodYear <= year);

	const progressOf = Map.groupBy(reported, (r) => r.initiativeId);
	const liveNodes = new Set(nodes.map((n) => n.id));
	const rows = items
		.filter((i) => liveNodes.has(i.nodeId))
		.map((i) => ({
			...i,
			status: initiativeStatus((progressOf.get(i.id) ?? []).map((r) => r.progress!))
		}));
	// The latest value at or before the year (values come oldest first).
	const latest = new Map(values.map((v) => [v.indicatorId, v.value]));
	const kpiShares = kpis
		.filter((k) => liveNodes.has(k.nodeId))
		.map((k) => ({ nodeId: k.nodeId, share: kpiProgress(k, latest.get(k.id) ?? null) }));

	// The tree in its order (each node before its children), with depths and subtrees (itself included).
	const children = Map.groupBy(nodes, (n) => n.parentId ?? '');
	const subtree = (id: string): string[] => [id, ...(children.get(id) ?? []).flatMap((c) => subtree(c.id))];
	const tree: ((typeof nodes)[number] & { depth: number })[] = [];
	const walk = (parent: string, depth: number) => {
		for (const n of children.get(parent) ?? []) {
			tree.push({ ...n, depth });
			walk(n.id, depth + 1);
		}
	};
	walk('', 0);
	const statusesIn = (ids: Set<string>) => rows.filter((r) => ids.has(r.nodeId)).map((r) => r.status);
	const sharesIn = (ids: Set<string>) => kpiShares.filter((k) => ids.has(k.nodeId)).map((k) => k.share);

	const offered = new Set([...years.map((y) => y.fiscalYear), ...rounds.map((r) => r.fiscalYear), year]);
	return {
		plan: planRows[0] ? { title: planRows[0].title, levelLabels: planRows[0].levelLabels } : null,
		fiscalYear: year,
		/** The years with actual records or a reporting round, and the one shown. */
		years: [...offered].sort((a, b) => a - b),
		/** The city's own words for the statuses, from that year's round (none: the default words). */
		labels: (rounds.find((r) => r.fiscalYear === year)?.progressLabels ?? {}) as ProgressLabels,
		/** The whole plan. */
		whole: rollupOf(
			rows.map((r) => r.status),
			kpiShares.map((k) => k.share)
		),
		/** Every policy area, in the tree's order, with its depth (0: the top level) and its subtree's roll-up. */
		nodes: tree.map((n) => {
			const ids = new Set(subtree(n.id));
			return { ...n, ...rollupOf(statusesIn(ids), sharesIn(ids)) };
		}),
		initiatives: rows
	};
}
export type ProgressRollup = Awaited<ReturnType<typeof readProgressRollup>>;
