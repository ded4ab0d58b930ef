// The city's plan as the sheets hold it, read in one batch: what a template is filled with and
// what an uploaded sheet is compared against.
import { asc, eq, isNull } from 'drizzle-orm';
import {
	departments,
	initiativeCategories,
	initiativeDepartments,
	initiatives,
	metrics,
	planNodes,
	yearlyRecords
} from '@mamori/db/tenant';
import type { TenantContext } from '../context.ts';
import { fiscalYearLabel } from '../domain/fiscal-year.ts';
import type { Cell } from '../sheets/read.ts';
import { INITIATIVE_COLUMNS, INITIATIVE_SHEET, RECORD_COLUMNS, RECORD_SHEET } from './layout.ts';

export const PHASE_WORDS = { actual: '実績', plan: '予定', summary: '事業概要' } as const;
export type Phase = keyof typeof PHASE_WORDS;

export async function readPlanState(ctx: TenantContext) {
	const [nodes, inits, deps, cats, depts, records, figures] = await ctx.db.batch([
		ctx.db
			.select({
				id: planNodes.id,
				planId: planNodes.planId,
				parentId: planNodes.parentId,
				code: planNodes.code,
				title: planNodes.title,
				position: planNodes.position
			})
			.from(planNodes)
			.where(isNull(planNodes.deletedAt))
			.orderBy(asc(planNodes.position)),
		ctx.db
			.select({
				id: initiatives.id,
				version: initiatives.version,
				nodeId: initiatives.nodeId,
				code: initiatives.code,
				title: initiatives.title,
				description: initiatives.description,
				planRef: initiatives.planRef,
				position: initiatives.position,
				deletedAt: initiatives.deletedAt
			})
			.from(initiatives)
			.orderBy(asc(initiatives.position)),
		ctx.db.select().from(initiativeDepartments).orderBy(asc(initiativeDepartments.position)),
		ctx.db.select().from(initiativeCategories).orderBy(asc(initiativeCategories.position)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(departments)
			.where(isNull(departments.deletedAt)),
		ctx.db
			.select({
				id: yearlyRecords.id,
				version: yearlyRecords.version,
				initiativeId: yearlyRecords.initiativeId,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				departmentId: yearlyRecords.departmentId,
				text: yearlyRecords.text,
				position: yearlyRecords.position,
				deletedAt: yearlyRecords.deletedAt
			})
			.from(yearlyRecords)
			.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
		ctx.db
			.select({
				id: metrics.id,
				version: metrics.version,
				recordId: metrics.recordId,
				label: metrics.label,
				value: metrics.value,
				unit: metrics.unit
			})
			.from(metrics)
			.innerJoin(yearlyRecords, eq(yearlyRecords.id, metrics.recordId))
			.orderBy(asc(metrics.position))
	]);
	const depsOf = Map.groupBy(deps, (d) => d.initiativeId);
	const catsOf = Map.groupBy(cats, (c) => c.initiativeId);
	const figuresOf = Map.groupBy(figures, (f) => f.recordId);
	return {
		nodes,
		departments: depts,
		initiatives: inits.map((i) => ({
			...i,
			departmentIds: (depsOf.get(i.id) ?? []).map((d) => d.departmentId),
			categoryCodes: (catsOf.get(i.id) ?? []).map((c) => c.categoryCode)
		})),
		records: records.map((r) => ({ ...r, metrics: figuresOf.get(r.id) ?? [] }))
	};
}
export type PlanState = Awaited<ReturnType<typeof readPlanState>>;

/** The nodes in the plan's order (depth first), as the plan page lists them. */
export function treeOrder(nodes: PlanState['nodes']): PlanState['nodes'] {
	const children = Map.groupBy(nodes, (n) => n.parentId ?? '');
	const ids = new Set(nodes.map((n) => n.id));
	const out: PlanState['nodes'] = [];
	const visit = (parent: string) => {
		for (const n of children.get(parent) ?? []) {
			out.push(n);
			visit(n.id);
		}
	};
	visit('');
	// A node whose parent was deleted still gets its initiatives listed.
	for (const n of nodes) if (n.parentId && !ids.has(n.parentId) && !out.includes(n)) out.push(n);
	return out;
}

export const nodeLabel = (n: { code: string | null; title: string }) => (n.code ? `${n.code} ${n.title}` : n.title);

/** The template filled with the city's plan as it is: every live initiative and record, ids included. */
export function planSheets(state: PlanState): { name: string; rows: Cell[][] }[] {
	const deptName = new Map(state.departments.map((d) => [d.id, d.name]));
	const nodes = treeOrder(state.nodes);
	const live = state.initiatives.filter((i) => i.deletedAt === null);
	const byNode = Map.groupBy(live, (i) => i.nodeId);
	const ordered = nodes.flatMap((n) => (byNode.get(n.id) ?? []).map((i) => ({ i, n })));
	const initiativeRows: Cell[][] = [
		Object.values(INITIATIVE_COLUMNS),
		...ordered.map(({ i, n }) => [
			i.id,
			i.version,
			n.id,
			nodeLabel(n),
			i.code,
			i.title,
			i.description,
			i.departmentIds.map((d) => deptName.get(d) ?? '').join('、') || null,
			i.planRef,
			i.categoryCodes.join('、') || null
		])
	];
	const recordsOf = Map.groupBy(
		state.records.filter((r) => r.deletedAt === null),
		(r) => r.initiativeId
	);
	const recordRows: Cell[][] = [Object.values(RECORD_COLUMNS)];
	for (const { i } of ordered)
		for (const r of recordsOf.get(i.id) ?? []) {
			const [first, ...more] = r.metrics;
			recordRows.push([
				r.id,
				r.version,
				i.id,
				fiscalYearLabel(r.fiscalYear).replace(/（.*$/, ''),
				PHASE_WORDS[r.phase],
				r.departmentId ? (deptName.get(r.departmentId) ?? null) : null,
				r.text,
				first?.label ?? null,
				first?.value ?? null,
				first?.unit ?? null
			]);
			for (const m of more) recordRows.push([null, null, null, null, null, null, null, m.label, m.value, m.unit]);
		}
	return [
		{ name: INITIATIVE_SHEET, rows: initiativeRows },
		{ name: RECORD_SHEET, rows: recordRows }
	];
}
