// The yearly report (年次報告書): every live initiative of the plan with what was recorded for a
// fiscal year, grouped by the plan tree, in the shape the city's own report has. Read once; the
// printed page and the XLSX and CSV downloads all render these rows.
import { and, asc, eq, isNull } from 'drizzle-orm';
import {
	departments,
	initiativeDepartments,
	initiatives,
	planNodes,
	plans,
	reportingRounds,
	yearlyRecords,
	type ProgressLabels,
	type ProgressStatus,
	type RecordColumns
} from '@mamori/db/tenant';
import type { VerbArgs } from '../context.ts';
import { reportYearInput } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';
import { recordColumnsOf } from '../plan/records.ts';

/**
 * this_and_last_year (小金井市): 施策 / 担当課 / 施策の内容 / last year's and this year's actuals.
 * summary_and_plan (苫小牧市): numbered 取組事業 / this year's 事業概要 / next year's 予定 / 担当課 /
 * 施策番号. The shape follows the data, never the city: a plan that records programme summaries
 * or plans (phases summary, plan) and points its initiatives into a master plan (planRef) reports
 * a year with the next year's plan; any other plan reports a year beside the year before.
 */
export type ReportShape = 'this_and_last_year' | 'summary_and_plan';
type Phase = keyof RecordColumns;

/** One department's block of a cell (【地域安全課】…); department null when the record names none. */
export interface ReportRecord {
	department: string | null;
	text: string;
}

export interface ReportRow {
	id: string;
	nodeId: string;
	code: string | null;
	title: string;
	description: string | null;
	planRef: string | null;
	departmentNote: string | null;
	departments: string[];
	/** One list of records per year column (`columns`), in the department order of the plan. */
	cells: ReportRecord[][];
	/** The year's status per department, as reported (yearly_records.progress). */
	progress: { department: string | null; status: ProgressStatus }[];
}

export interface ReportNode {
	id: string;
	parentId: string | null;
	/** 0 for a top-level policy area; the plan's level label is levelLabels[depth]. */
	depth: number;
	code: string | null;
	title: string;
	subtitle: string | null;
	/** The headings of this part of the plan (a section may name its own, 小金井市's 実績). */
	recordColumns: RecordColumns;
}

export async function readYearlyReport({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(reportYearInput, raw);
	const [planRows, nodeRows, initiativeRows, departmentRows, recordRows, roundRows] = await ctx.db.batch([
		ctx.db
			.select({
				title: plans.title,
				levelLabels: plans.levelLabels,
				initiativeLabel: plans.initiativeLabel,
				recordColumns: plans.recordColumns
			})
			.from(plans)
			.limit(1),
		ctx.db
			.select({
				id: planNodes.id,
				parentId: planNodes.parentId,
				code: planNodes.code,
				title: planNodes.title,
				subtitle: planNodes.subtitle,
				recordColumns: planNodes.recordColumns
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
				planRef: initiatives.planRef,
				departmentNote: initiatives.departmentNote
			})
			.from(initiatives)
			.where(isNull(initiatives.deletedAt))
			.orderBy(asc(initiatives.position)),
		ctx.db
			.select({ initiativeId: initiativeDepartments.initiativeId, id: departments.id, name: departments.name })
			.from(initiativeDepartments)
			.innerJoin(departments, eq(departments.id, initiativeDepartments.departmentId))
			.orderBy(asc(initiativeDepartments.position)),
		ctx.db
			.select({
				initiativeId: yearlyRecords.initiativeId,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				departmentId: yearlyRecords.departmentId,
				department: departments.name,
				text: yearlyRecords.text,
				progress: yearlyRecords.progress
			})
			.from(yearlyRecords)
			.innerJoin(initiatives, and(eq(initiatives.id, yearlyRecords.initiativeId), isNull(initiatives.deletedAt)))
			.leftJoin(departments, eq(departments.id, yearlyRecords.departmentId))
			.where(isNull(yearlyRecords.deletedAt))
			.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
		ctx.db
			.select({ fiscalYear: reportingRounds.fiscalYear, progressLabels: reportingRounds.progressLabels })
			.from(reportingRounds)
	]);
	const plan = planRows[0] ?? null;
	const shape: ReportShape =
		recordRows.some((r) => r.phase === 'summary' || r.phase === 'plan') && initiativeRows.some((i) => i.planRef)
			? 'summary_and_plan'
			: 'this_and_last_year';

	// The years a report can be made for: those with what was done or summarised (a year with
	// only plans in it has nothing to report yet).
	const reported = recordRows.filter((r) => r.phase !== 'plan');
	const years = [...new Set((reported.length ? reported : recordRows).map((r) => r.fiscalYear))].sort((a, b) => b - a);
	const fiscalYear = input.fiscalYear ?? years[0] ?? null;

	const nodes = treeOrder(nodeRows).map((n) => ({
		...n,
		recordColumns: recordColumnsOf(n.id, nodeRows, plan?.recordColumns)
	}));
	const nodeOrder = new Map(nodes.map((n, index) => [n.id, index]));
	const columns = fiscalYear === null ? [] : yearColumns(shape, fiscalYear, recordRows);
	const depsOf = Map.groupBy(departmentRows, (d) => d.initiativeId);
	const recordsOf = Map.groupBy(recordRows, (r) => r.initiativeId);

	const rows: ReportRow[] = initiativeRows
		.filter((i) => nodeOrder.has(i.nodeId))
		.sort((a, b) => nodeOrder.get(a.nodeId)! - nodeOrder.get(b.nodeId)!)
		.map((i) => {
			const deps = depsOf.get(i.id) ?? [];
			// A cell lists the initiative's departments in the plan's order, then any other.
			const rank = (departmentId: string | null) => {
				const at = deps.findIndex((d) => d.id === departmentId);
				return at < 0 ? deps.length : at;
			};
			const records = (recordsOf.get(i.id) ?? []).toSorted((a, b) => rank(a.departmentId) - rank(b.departmentId));
			const ofColumn = (c: { fiscalYear: number; phases: readonly string[] }) =>
				records.filter((r) => r.fiscalYear === c.fiscalYear && c.phases.includes(r.phase));
			return {
				id: i.id,
				nodeId: i.nodeId,
				code: i.code,
				title: i.title,
				description: i.description,
				planRef: i.planRef,
				departmentNote: i.departmentNote,
				departments: deps.map((d) => d.name),
				cells: columns.map((c) => ofColumn(c).map((r) => ({ department: r.department, text: r.text }))),
				progress: records
					.filter((r) => r.fiscalYear === fiscalYear && r.phase !== 'plan' && r.progress)
					.map((r) => ({ department: r.department, status: r.progress! }))
			};
		});

	return {
		plan: plan && {
			title: plan.title,
			levelLabels: plan.levelLabels,
			initiativeLabel: plan.initiativeLabel,
			recordColumns: plan.recordColumns ?? {}
		},
		shape,
		fiscalYear,
		/** Newest first. */
		years,
		columns: columns.map(({ fiscalYear, phase }) => ({ fiscalYear, phase })),
		/** Whether any initiative has a status for the year: the status column is shown only then. */
		hasProgress: rows.some((r) => r.progress.length > 0),
		/** The city's own words for the statuses, when the year's round names them. */
		progressLabels: (roundRows.find((r) => r.fiscalYear === fiscalYear)?.progressLabels ??
			null) as ProgressLabels | null,
		nodes,
		rows
	};
}
export type YearlyReport = Awaited<ReturnType<typeof readYearlyReport>>;

/** The year columns of a shape: which year and phase each shows, and which phases fill it. */
function yearColumns(shape: ReportShape, year: number, records: readonly { fiscalYear: number; phase: string }[]) {
	if (shape === 'this_and_last_year')
		return [
			{ fiscalYear: year - 1, phase: 'actual' as Phase, phases: ['actual'] },
			{ fiscalYear: year, phase: 'actual' as Phase, phases: ['actual'] }
		];
	// The year's column is its programme summary (事業概要), or what was done where the plan
	// records that instead; either way it is headed by the phase its records have.
	const summarised = records.some((r) => r.fiscalYear === year && r.phase === 'summary');
	return [
		{ fiscalYear: year, phase: (summarised ? 'summary' : 'actual') as Phase, phases: ['summary', 'actual'] },
		{ fiscalYear: year + 1, phase: 'plan' as Phase, phases: ['plan'] }
	];
}

/** The nodes depth first, each before its children, siblings in the plan's order. */
function treeOrder<T extends { id: string; parentId: string | null }>(nodes: readonly T[]): (T & { depth: number })[] {
	const ids = new Set(nodes.map((n) => n.id));
	const childrenOf = Map.groupBy(nodes, (n) => (n.parentId && ids.has(n.parentId) ? n.parentId : null));
	const out: (T & { depth: number })[] = [];
	const visit = (parentId: string | null, depth: number) => {
		for (const n of childrenOf.get(parentId) ?? []) {
			out.push({ ...n, depth });
			visit(n.id, depth + 1);
		}
	};
	visit(null, 0);
	return out;
}
