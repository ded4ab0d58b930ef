// What a city shows its residents (its resident page, and the public API): the plan as it stands
// (policy tree with its level names, initiatives, their departments, KPIs with baseline and
// target) and its progress only in the fiscal years it has published (benchmark publications:
// an audited act of its admin). Of those years: the records of what was done (実績・取組み, 事業概要),
// never a plan or a draft of a reporting round; KPI values, never a planned one. One core read
// and one batch on the city's database, side by side.
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import {
	departments,
	indicators,
	indicatorValues,
	initiativeDepartments,
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
import { parseInput } from '../errors.ts';
import { recordColumnsOf } from '../plan/records.ts';
import { progress as shareOfWay } from '../benchmarks/compute.ts';
import {
	implementationRate,
	initiativeStatus,
	rollupStatuses,
	type RollupStatus,
	type StatusCounts
} from '../rounds/rollup.ts';

/** Where a KPI stands at its latest published value. */
export const kpiStandings = ['met', 'on_track', 'behind', 'unmeasured'] as const;
export type KpiStanding = (typeof kpiStandings)[number];

type PeriodKind = 'fiscal_year' | 'calendar_year';
/** A published value is final, provisional (速報) or of unknown status; never a planned one. */
type ValueStatus = (typeof indicatorValues.$inferSelect)['status'];

export interface PublishedKpi {
	id: string;
	nodeId: string;
	name: string;
	unit: string;
	direction: 'higher' | 'lower';
	baseline: { value: number | null; text: string | null; year: number | null; periodKind: PeriodKind | null };
	target: { value: number | null; text: string | null; year: number | null; periodKind: PeriodKind | null };
	/** Its values in published years (oldest first), never a planned one. */
	values: { periodKind: PeriodKind; periodYear: number; value: number; status: ValueStatus }[];
	/** The latest of those at or before the year shown. */
	latest: { periodKind: PeriodKind; periodYear: number; value: number; status: ValueStatus } | null;
	/** Share of the way from baseline to target at `latest`, 0–1; null when not measurable. */
	progress: number | null;
	standing: KpiStanding;
}

export interface PublishedRecord {
	fiscalYear: number;
	phase: 'actual' | 'summary';
	department: string | null;
	text: string;
	progress: ProgressStatus | null;
}

export interface AreaSummary {
	/** Initiatives of the area and its sub-areas. */
	initiatives: number;
	/** Of those, how many have a record of what was done (実績・事業概要) in the year shown. */
	recorded: number;
	/** Of those, by their status in the year shown. */
	counts: StatusCounts;
	/** 実施率 of the year shown (rounds/rollup.ts); null when none reported a status. */
	rate: number | null;
	kpis: Record<KpiStanding, number> & { count: number };
	/** The latest published year with a record or a KPI value of the area; null: none. */
	latestYear: number | null;
}

/**
 * Where a KPI stands: `met` at or beyond its target; `on_track` at least as far as the straight
 * line from its baseline (in its year) to its target (in its year) at the value's year, or, when
 * those years are not known, better than its baseline; `behind` otherwise; `unmeasured` without
 * a published value after its baseline's year, a baseline or a target.
 */
export function kpiStanding(
	kpi: {
		baselineValue: number | null;
		targetValue: number | null;
		baselineYear: number | null;
		targetYear: number | null;
	},
	latest: { value: number; periodYear: number } | null
): { progress: number | null; standing: KpiStanding } {
	const share = latest ? shareOfWay(kpi.baselineValue, kpi.targetValue, latest.value) : null;
	if (share === null || !latest) return { progress: null, standing: 'unmeasured' };
	// A value of the baseline's year (or before) is where the plan started, not how far it got.
	if (kpi.baselineYear !== null && latest.periodYear <= kpi.baselineYear)
		return { progress: null, standing: 'unmeasured' };
	const progress = Math.min(1, Math.max(0, share));
	if (share >= 1) return { progress, standing: 'met' };
	const { baselineYear: from, targetYear: to } = kpi;
	const expected =
		from !== null && to !== null && to > from
			? Math.min(1, Math.max(0, (latest.periodYear - from) / (to - from)))
			: null;
	const onTrack = expected === null ? share > 0 : share >= expected && share > 0;
	return { progress, standing: onTrack ? 'on_track' : 'behind' };
}

const noStandings = () => ({ met: 0, on_track: 0, behind: 0, unmeasured: 0, count: 0 });

export async function readPublishedPlan({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.public');
	const input = parseInput(progressQuery, raw);
	const { db } = ctx;
	const [publications, [planRows, nodes, items, links, deps, kpis, values, records, rounds]] = await Promise.all([
		ctx.core
			.select({ fiscalYear: benchmarkPublications.fiscalYear })
			.from(benchmarkPublications)
			.where(eq(benchmarkPublications.tenantId, ctx.tenant.id))
			.orderBy(asc(benchmarkPublications.fiscalYear)),
		db.batch([
			db
				.select({
					title: plans.title,
					kind: plans.kind,
					periodStart: plans.periodStart,
					periodEnd: plans.periodEnd,
					levelLabels: plans.levelLabels,
					initiativeLabel: plans.initiativeLabel,
					recordColumns: plans.recordColumns
				})
				.from(plans)
				.orderBy(asc(plans.createdAt))
				.limit(1),
			db
				.select({
					id: planNodes.id,
					parentId: planNodes.parentId,
					code: planNodes.code,
					title: planNodes.title,
					subtitle: planNodes.subtitle,
					summary: planNodes.summary,
					recordColumns: planNodes.recordColumns
				})
				.from(planNodes)
				.where(isNull(planNodes.deletedAt))
				.orderBy(asc(planNodes.position)),
			db
				.select({
					id: initiatives.id,
					nodeId: initiatives.nodeId,
					code: initiatives.code,
					title: initiatives.title,
					description: initiatives.description,
					planRef: initiatives.planRef,
					departmentNote: initiatives.departmentNote
				})
				.from(initiatives)
				.where(isNull(initiatives.deletedAt))
				.orderBy(asc(initiatives.position)),
			db
				.select({ initiativeId: initiativeDepartments.initiativeId, departmentId: initiativeDepartments.departmentId })
				.from(initiativeDepartments)
				.orderBy(asc(initiativeDepartments.position)),
			db
				.select({ id: departments.id, name: departments.name })
				.from(departments)
				.where(isNull(departments.deletedAt))
				.orderBy(asc(departments.position)),
			db
				.select({
					id: indicators.id,
					nodeId: indicators.nodeId,
					name: indicators.name,
					unit: indicators.unit,
					direction: indicators.direction,
					baselineValue: indicators.baselineValue,
					baselineText: indicators.baselineText,
					baselineYear: indicators.baselineYear,
					baselinePeriodKind: indicators.baselinePeriodKind,
					targetValue: indicators.targetValue,
					targetText: indicators.targetText,
					targetYear: indicators.targetYear,
					targetPeriodKind: indicators.targetPeriodKind
				})
				.from(indicators)
				.where(isNull(indicators.deletedAt))
				.orderBy(asc(indicators.position)),
			db
				.select({
					indicatorId: indicatorValues.indicatorId,
					periodKind: indicatorValues.periodKind,
					periodYear: indicatorValues.periodYear,
					value: indicatorValues.value,
					status: indicatorValues.status
				})
				.from(indicatorValues)
				.where(ne(indicatorValues.status, 'planned'))
				.orderBy(asc(indicatorValues.periodYear)),
			// What was done, never what is planned; a submission of a round is in round_tasks, not here,
			// until it is approved.
			db
				.select({
					initiativeId: yearlyRecords.initiativeId,
					fiscalYear: yearlyRecords.fiscalYear,
					phase: yearlyRecords.phase,
					departmentId: yearlyRecords.departmentId,
					text: yearlyRecords.text,
					progress: yearlyRecords.progress
				})
				.from(yearlyRecords)
				.where(and(inArray(yearlyRecords.phase, ['actual', 'summary']), isNull(yearlyRecords.deletedAt)))
				.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
			db
				.select({ fiscalYear: reportingRounds.fiscalYear, progressLabels: reportingRounds.progressLabels })
				.from(reportingRounds)
		])
	]);
	const published = new Set(publications.map((p) => p.fiscalYear));
	const years = [...published];
	// The year asked for when it is published, else the latest published; null: nothing published.
	const fiscalYear =
		input.fiscalYear !== undefined && published.has(input.fiscalYear) ? input.fiscalYear : (years.at(-1) ?? null);

	// The tree in its order (each node before its children), from the top: a node under a deleted one is gone too.
	const childrenOf = Map.groupBy(nodes, (n) => n.parentId ?? '');
	const tree: ((typeof nodes)[number] & { depth: number })[] = [];
	const walk = (parent: string, depth: number) => {
		for (const n of childrenOf.get(parent) ?? []) {
			tree.push({ ...n, depth });
			walk(n.id, depth + 1);
		}
	};
	walk('', 0);
	const live = new Set(tree.map((n) => n.id));
	const subtree = (id: string): string[] => [id, ...(childrenOf.get(id) ?? []).flatMap((c) => subtree(c.id))];

	const departmentName = new Map(deps.map((d) => [d.id, d.name]));
	const linksOf = Map.groupBy(links, (l) => l.initiativeId);
	const shownRecords = records.filter((r) => published.has(r.fiscalYear));
	const recordsOf = Map.groupBy(shownRecords, (r) => r.initiativeId);
	const initiativeRows = items
		.filter((i) => live.has(i.nodeId))
		.map((i) => {
			const own = recordsOf.get(i.id) ?? [];
			const ofYear = own.filter((r) => r.fiscalYear === fiscalYear);
			return {
				...i,
				departments: (linksOf.get(i.id) ?? []).flatMap((l) => departmentName.get(l.departmentId) ?? []),
				status: (fiscalYear === null
					? 'unreported'
					: initiativeStatus(
							ofYear.flatMap((r) => (r.phase === 'actual' && r.progress ? [r.progress] : []))
						)) as RollupStatus,
				records: own.map((r): PublishedRecord => ({
					fiscalYear: r.fiscalYear,
					phase: r.phase as PublishedRecord['phase'],
					department: r.departmentId ? (departmentName.get(r.departmentId) ?? null) : null,
					text: r.text,
					progress: r.progress
				}))
			};
		});

	const valuesOf = Map.groupBy(
		values.filter((v) => published.has(v.periodYear)),
		(v) => v.indicatorId
	);
	const kpiRows = kpis
		.filter((k) => live.has(k.nodeId))
		.map((k): PublishedKpi => {
			const own = valuesOf.get(k.id) ?? [];
			const latest = own.filter((v) => fiscalYear !== null && v.periodYear <= fiscalYear).at(-1) ?? null;
			const strip = ({ indicatorId: _, ...v }: (typeof own)[number]) => v;
			return {
				id: k.id,
				nodeId: k.nodeId,
				name: k.name,
				unit: k.unit,
				direction: k.direction,
				baseline: {
					value: k.baselineValue,
					text: k.baselineText,
					year: k.baselineYear,
					periodKind: k.baselinePeriodKind
				},
				target: { value: k.targetValue, text: k.targetText, year: k.targetYear, periodKind: k.targetPeriodKind },
				values: own.map(strip),
				latest: latest && strip(latest),
				...kpiStanding(k, latest)
			};
		});

	const summaryOf = (ids: Set<string>): AreaSummary => {
		const own = initiativeRows.filter((i) => ids.has(i.nodeId));
		const counts = Object.fromEntries(rollupStatuses.map((s) => [s, 0])) as StatusCounts;
		for (const i of own) counts[i.status] += 1;
		const ownKpis = kpiRows.filter((k) => ids.has(k.nodeId));
		const kpiCounts = noStandings();
		for (const k of ownKpis) {
			kpiCounts[k.standing] += 1;
			kpiCounts.count += 1;
		}
		const recordYears = own.flatMap((i) => i.records.map((r) => r.fiscalYear));
		const valueYears = ownKpis.flatMap((k) => k.values.map((v) => v.periodYear));
		const latest = [...recordYears, ...valueYears];
		return {
			initiatives: own.length,
			recorded: own.filter((i) => i.records.some((r) => r.fiscalYear === fiscalYear)).length,
			counts,
			rate: implementationRate(counts),
			kpis: kpiCounts,
			latestYear: latest.length ? Math.max(...latest) : null
		};
	};

	const plan = planRows[0] ?? null;
	return {
		plan,
		/** The fiscal years the city has published, oldest first. */
		publishedYears: years,
		/** The year the statuses and the latest KPI values are of; null: nothing is published yet. */
		fiscalYear,
		/** The city's own words for the statuses, from that year's round (none: the default words). */
		labels: (rounds.find((r) => r.fiscalYear === fiscalYear)?.progressLabels ?? {}) as ProgressLabels,
		/** Departments responsible for at least one initiative shown. */
		departments: deps.filter((d) => initiativeRows.some((i) => i.departments.includes(d.name))).map((d) => d.name),
		whole: summaryOf(live),
		/** Every policy area in the tree's order, with its level's name and its subtree's figures. */
		nodes: tree.map(({ recordColumns: _, ...n }) => ({
			...n,
			level: plan?.levelLabels[n.depth] ?? null,
			/** The headings of its records (小金井市's 「令和元年度の実績」): its section's own, else the plan's. */
			recordColumns: recordColumnsOf(n.id, nodes, plan?.recordColumns),
			figures: summaryOf(new Set(subtree(n.id)))
		})),
		initiatives: initiativeRows,
		kpis: kpiRows
	};
}
export type PublishedPlan = Awaited<ReturnType<typeof readPublishedPlan>>;
