// The plan overview: the tree with each initiative's departments, categories and the status of
// the chosen fiscal year, filtered by department, category, year and a search. One batch.
import { asc, isNull } from 'drizzle-orm';
import {
	departments,
	initiativeCategories,
	initiativeDepartments,
	initiatives,
	planNodes,
	plans,
	yearlyRecords
} from '@mamori/db/tenant';
import type { VerbArgs } from '../context.ts';
import { overviewFilters, type OverviewFilters } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';

export type YearStatus = 'actual' | 'plan' | 'none';

export type { OverviewFilters };

export async function readPlanOverview({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(overviewFilters, raw);
	const [planRows, nodes, items, deps, cats, records, allDepartments] = await ctx.db.batch([
		ctx.db.select().from(plans).orderBy(asc(plans.createdAt)).limit(1),
		ctx.db
			.select({
				id: planNodes.id,
				parentId: planNodes.parentId,
				code: planNodes.code,
				title: planNodes.title,
				subtitle: planNodes.subtitle
			})
			.from(planNodes)
			.where(isNull(planNodes.deletedAt))
			.orderBy(asc(planNodes.position)),
		ctx.db
			.select({
				id: initiatives.id,
				nodeId: initiatives.nodeId,
				code: initiatives.code,
				title: initiatives.title,
				description: initiatives.description,
				planRef: initiatives.planRef
			})
			.from(initiatives)
			.where(isNull(initiatives.deletedAt))
			.orderBy(asc(initiatives.position)),
		ctx.db
			.select({ initiativeId: initiativeDepartments.initiativeId, departmentId: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.orderBy(asc(initiativeDepartments.position)),
		ctx.db.select().from(initiativeCategories).orderBy(asc(initiativeCategories.position)),
		ctx.db
			.select({
				initiativeId: yearlyRecords.initiativeId,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				text: yearlyRecords.text
			})
			.from(yearlyRecords)
			.where(isNull(yearlyRecords.deletedAt)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(departments)
			.where(isNull(departments.deletedAt))
			.orderBy(asc(departments.position))
	]);
	const plan = planRows[0] ?? null;
	const years = [...new Set(records.map((r) => r.fiscalYear))].sort((a, b) => a - b);
	const fiscalYear = input.fiscalYear ?? years.at(-1);
	const depsOf = Map.groupBy(deps, (d) => d.initiativeId);
	const catsOf = Map.groupBy(cats, (c) => c.initiativeId);
	const recordsOf = Map.groupBy(records, (r) => r.initiativeId);
	const departmentName = new Map(allDepartments.map((d) => [d.id, d.name]));
	const q = input.q?.normalize('NFKC').trim().toLowerCase();

	const rows = items
		.map((item) => {
			const own = recordsOf.get(item.id) ?? [];
			const thisYear = own.filter((r) => r.fiscalYear === fiscalYear);
			const status: YearStatus = thisYear.some((r) => r.phase === 'actual' && r.text !== '')
				? 'actual'
				: thisYear.some((r) => r.phase === 'plan')
					? 'plan'
					: 'none';
			return {
				...item,
				departments: (depsOf.get(item.id) ?? []).map((d) => ({
					id: d.departmentId,
					name: departmentName.get(d.departmentId) ?? ''
				})),
				categoryCodes: (catsOf.get(item.id) ?? []).map((c) => c.categoryCode),
				status,
				searchText: [item.title, item.description, item.planRef, ...own.map((r) => r.text)]
					.join('\n')
					.normalize('NFKC')
					.toLowerCase()
			};
		})
		.filter(
			(item) =>
				(!input.departmentId || item.departments.some((d) => d.id === input.departmentId)) &&
				(!input.category ||
					item.categoryCodes.some((c) => c === input.category || c.startsWith(`${input.category}.`))) &&
				(!q || item.searchText.includes(q))
		)
		.map(({ searchText: _s, ...item }) => item);

	return {
		plan,
		nodes,
		initiatives: rows,
		years,
		fiscalYear: fiscalYear ?? null,
		departments: allDepartments,
		total: items.length
	};
}
export type PlanOverview = Awaited<ReturnType<typeof readPlanOverview>>;
