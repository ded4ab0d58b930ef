// The plan overview: the tree with each initiative's departments, categories and the status of
// the chosen fiscal year, filtered by department, category, year and a search, and what the search
// found among policy areas, initiatives, KPIs and yearly records. One batch.
import { asc, isNull } from 'drizzle-orm';
import {
	departments,
	indicators,
	indicatorValues,
	initiativeCategories,
	initiativeDepartments,
	initiatives,
	metrics,
	planNodes,
	plans,
	yearlyRecords
} from '@mamori/db/tenant';
import type { VerbArgs } from '../context.ts';
import { overviewFilters, type OverviewFilters } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';

export type YearStatus = 'actual' | 'summary' | 'plan' | 'none';

export type { OverviewFilters };

/** What the search found: the kind of item, where it leads, and the words around the match. */
export interface SearchHit {
	kind: 'node' | 'initiative' | 'kpi' | 'record';
	id: string;
	/** The page it lives on: the node, initiative or KPI itself; a record's initiative. */
	targetId: string;
	title: string;
	/** A node's depth in the tree (0 = top), for the plan's own name of that level. */
	level?: number;
	fiscalYear?: number;
	excerpt: string;
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

/** The text around the first match (NFKC, so that full-width letters match too), or its start. */
function excerpt(texts: (string | null | undefined)[], q: string): string {
	const text = texts
		.filter((t): t is string => Boolean(t))
		.join(' ')
		.normalize('NFKC')
		.replace(/\s+/g, ' ');
	const at = Math.max(0, text.toLowerCase().indexOf(q));
	const start = Math.max(0, at - 20);
	return `${start > 0 ? '…' : ''}${text.slice(start, start + 80)}${start + 80 < text.length ? '…' : ''}`;
}

const matches = (q: string, texts: (string | null | undefined)[]) =>
	normalise(texts.filter(Boolean).join('\n')).includes(q);

/** Every year the plan speaks of: its period, its records, its KPIs' values, baselines and targets. */
function planYears(
	plan: { periodStart: number | null; periodEnd: number | null } | null,
	records: { fiscalYear: number }[],
	kpis: { baselineYear: number | null; targetYear: number | null }[],
	values: { periodYear: number }[]
): number[] {
	const years = new Set<number>([
		...records.map((r) => r.fiscalYear),
		...values.map((v) => v.periodYear),
		...kpis.flatMap((k) => [k.baselineYear, k.targetYear]).filter((y): y is number => y !== null)
	]);
	const { periodStart: from, periodEnd: to } = plan ?? { periodStart: null, periodEnd: null };
	if (from !== null && to !== null && to >= from && to - from < 50) for (let y = from; y <= to; y++) years.add(y);
	else for (const y of [from, to]) if (y !== null) years.add(y);
	return [...years].sort((a, b) => a - b);
}

export async function readPlanOverview({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(overviewFilters, raw);
	const [planRows, nodes, items, deps, cats, records, allDepartments, kpis, values, recordMetrics] = await ctx.db.batch(
		[
			ctx.db.select().from(plans).orderBy(asc(plans.createdAt)).limit(1),
			ctx.db.select().from(planNodes).where(isNull(planNodes.deletedAt)).orderBy(asc(planNodes.position)),
			ctx.db.select().from(initiatives).where(isNull(initiatives.deletedAt)).orderBy(asc(initiatives.position)),
			ctx.db
				.select({ initiativeId: initiativeDepartments.initiativeId, departmentId: initiativeDepartments.departmentId })
				.from(initiativeDepartments)
				.orderBy(asc(initiativeDepartments.position)),
			ctx.db.select().from(initiativeCategories).orderBy(asc(initiativeCategories.position)),
			ctx.db
				.select()
				.from(yearlyRecords)
				.where(isNull(yearlyRecords.deletedAt))
				.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
			ctx.db
				.select({ id: departments.id, name: departments.name })
				.from(departments)
				.where(isNull(departments.deletedAt))
				.orderBy(asc(departments.position)),
			ctx.db.select().from(indicators).where(isNull(indicators.deletedAt)).orderBy(asc(indicators.position)),
			ctx.db
				.select({ indicatorId: indicatorValues.indicatorId, periodYear: indicatorValues.periodYear })
				.from(indicatorValues),
			ctx.db.select({ recordId: metrics.recordId, label: metrics.label }).from(metrics)
		]
	);
	const plan = planRows[0] ?? null;
	const liveKpis = new Set(kpis.map((k) => k.id));
	const liveItems = new Set(items.map((i) => i.id));
	const years = planYears(
		plan,
		records,
		kpis,
		values.filter((v) => liveKpis.has(v.indicatorId))
	);
	const fiscalYear = input.fiscalYear ?? [...new Set(records.map((r) => r.fiscalYear))].at(-1);
	const depsOf = Map.groupBy(deps, (d) => d.initiativeId);
	const catsOf = Map.groupBy(cats, (c) => c.initiativeId);
	const recordsOf = Map.groupBy(records, (r) => r.initiativeId);
	const labelsOf = Map.groupBy(recordMetrics, (r) => r.recordId);
	const departmentName = new Map(allDepartments.map((d) => [d.id, d.name]));
	const q = input.q ? normalise(input.q).trim() : '';
	const recordTexts = (r: (typeof records)[number]) => [r.text, ...(labelsOf.get(r.id) ?? []).map((l) => l.label)];

	const rows = items
		.map((item) => {
			const own = recordsOf.get(item.id) ?? [];
			const thisYear = own.filter((r) => r.fiscalYear === fiscalYear);
			// A programme summary (事業概要) is shown as such, never as results.
			const status: YearStatus = thisYear.some((r) => r.phase === 'actual' && r.text !== '')
				? 'actual'
				: thisYear.some((r) => r.phase === 'summary')
					? 'summary'
					: thisYear.some((r) => r.phase === 'plan')
						? 'plan'
						: 'none';
			return {
				id: item.id,
				nodeId: item.nodeId,
				code: item.code,
				title: item.title,
				description: item.description,
				planRef: item.planRef,
				departments: (depsOf.get(item.id) ?? []).map((d) => ({
					id: d.departmentId,
					name: departmentName.get(d.departmentId) ?? ''
				})),
				categoryCodes: (catsOf.get(item.id) ?? []).map((c) => c.categoryCode),
				/** Codes a taxonomy migration asks the city to check (empty: nothing to check). */
				review: item.taxonomyReview ?? [],
				status,
				found: !q || matches(q, [item.title, item.description, item.planRef, ...own.flatMap(recordTexts)])
			};
		})
		.filter(
			(item) =>
				(!input.departmentId || item.departments.some((d) => d.id === input.departmentId)) &&
				(!input.category ||
					item.categoryCodes.some((c) => c === input.category || c.startsWith(`${input.category}.`))) &&
				(!input.review || item.review.length > 0)
		);
	const shown = rows.filter((item) => item.found).map(({ found: _f, ...item }) => item);
	const inFilters = new Map(rows.map((item) => [item.id, item]));
	const filtered = Boolean(input.departmentId || input.category || input.review);

	const depth = new Map<string | null, number>([[null, -1]]);
	const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
	const levelOf = (id: string | null): number => {
		if (!depth.has(id)) depth.set(id, levelOf(parentOf.get(id!) ?? null) + 1);
		return depth.get(id)!;
	};
	const hits: SearchHit[] = !q
		? []
		: [
				...(filtered ? [] : nodes)
					.filter((n) => matches(q, [n.code, n.title, n.subtitle, n.summary, ...(n.currentState ?? [])]))
					.map((n) => ({
						kind: 'node' as const,
						id: n.id,
						targetId: n.id,
						title: n.title,
						level: levelOf(n.id),
						excerpt: excerpt([n.subtitle, n.summary, ...(n.currentState ?? [])], q)
					})),
				...items
					.filter((i) => inFilters.has(i.id) && matches(q, [i.code, i.title, i.description, i.planRef]))
					.map((i) => ({
						kind: 'initiative' as const,
						id: i.id,
						targetId: i.id,
						title: i.title,
						excerpt: excerpt([i.description, i.planRef], q)
					})),
				...(filtered ? [] : kpis)
					.filter((k) => matches(q, [k.name, k.baselineText, k.baselineNote, k.targetText, k.targetNote]))
					.map((k) => ({
						kind: 'kpi' as const,
						id: k.id,
						targetId: k.id,
						title: k.name,
						excerpt: excerpt([k.baselineText, k.baselineNote, k.targetText, k.targetNote], q)
					})),
				...records
					.filter(
						(r) =>
							inFilters.has(r.initiativeId) &&
							(!input.fiscalYear || r.fiscalYear === input.fiscalYear) &&
							matches(q, recordTexts(r))
					)
					.map((r) => ({
						kind: 'record' as const,
						id: r.id,
						targetId: r.initiativeId,
						title: inFilters.get(r.initiativeId)!.title,
						fiscalYear: r.fiscalYear,
						excerpt: excerpt(recordTexts(r), q)
					}))
			];

	return {
		plan,
		nodes: nodes.map((n) => ({ id: n.id, parentId: n.parentId, code: n.code, title: n.title, subtitle: n.subtitle })),
		initiatives: shown,
		/** Initiatives whose categories the city is asked to check, whatever the filters. */
		toReview: items.filter((i) => i.taxonomyReview?.length).length,
		hits,
		years,
		/** The year whose status is shown: the one chosen, else the latest with records. */
		fiscalYear: fiscalYear ?? null,
		/** The year the user chose to filter by; none means every year (the search included). */
		chosenYear: input.fiscalYear ?? null,
		departments: allDepartments,
		/** The categories the plan's initiatives are filed under (to filter by). */
		categoryCodes: [...new Set(cats.filter((c) => liveItems.has(c.initiativeId)).map((c) => c.categoryCode))],
		total: items.length
	};
}
export type PlanOverview = Awaited<ReturnType<typeof readPlanOverview>>;
