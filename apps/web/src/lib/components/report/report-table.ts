// The yearly report's columns and cells, worded once: the printed page renders them with its own
// markup, the XLSX and CSV downloads take them as text (sheetOf). The plan's own words head the
// columns in Japanese (施策, 取組事業, 「令和元年度（2019）の取組み」); a cell lists each
// department's record under its name, as the cities print them (【地域安全課】…).
import type { ReportRecord, ReportRow, ReportTable, YearlyReport } from '@mamori/services/report';
import { progressLabel } from '$lib/components/rounds/labels';
import { recordColumnLabel } from '$lib/components/workspace/record-column';
import { fiscalYearShort } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

export type ColumnKey = 'title' | 'departments' | 'description' | 'year0' | 'year1' | 'planRef' | 'progress';
export interface ReportColumn {
	key: ColumnKey;
	heading: string;
	/** In characters, for the spreadsheet. */
	width: number;
}

/** The columns of the report (or of one section, which may name its own record headings). */
export function reportColumns(
	report: YearlyReport,
	locale: Locale,
	recordColumns?: YearlyReport['nodes'][number]['recordColumns']
): ReportColumn[] {
	const own = locale === 'ja' ? report.plan?.initiativeLabel : undefined;
	const headings = recordColumns ?? report.plan?.recordColumns;
	const year = (index: 0 | 1): ReportColumn => {
		const column = report.columns[index]!;
		return {
			key: index === 0 ? 'year0' : 'year1',
			heading: recordColumnLabel(headings, column.fiscalYear, column.phase, locale),
			width: 48
		};
	};
	const title: ReportColumn = { key: 'title', heading: own || m.report_col_initiative(), width: 26 };
	const departments: ReportColumn = { key: 'departments', heading: m.report_col_department(), width: 18 };
	const columns =
		report.shape === 'summary_and_plan'
			? [title, year(0), year(1), departments, { key: 'planRef', heading: m.report_col_plan_ref(), width: 10 } as const]
			: [
					title,
					departments,
					{ key: 'description', heading: m.report_col_description(), width: 40 } as const,
					year(0),
					year(1)
				];
	return report.hasProgress ? [...columns, { key: 'progress', heading: m.report_col_progress(), width: 12 }] : columns;
}

/** A department's heading in a cell, as the cities print it: 【地域安全課】. */
export const departmentMark = (department: string) => `【${department}】`;

export const titleOf = (report: YearlyReport, row: ReportRow) =>
	report.shape === 'summary_and_plan' && row.code ? `${row.code} ${row.title}` : row.title;

export const departmentsOf = (row: ReportRow) => row.departments.join('、') + (row.departmentNote ?? '');

export const progressOf = (report: YearlyReport, row: ReportRow) =>
	row.progress.map((p) => ({
		department: row.progress.length > 1 ? p.department : null,
		label: progressLabel(p.status, report.progressLabels)
	}));

const recordsText = (records: ReportRecord[]) =>
	records.map((r) => (r.department ? `${departmentMark(r.department)}\n${r.text}` : r.text)).join('\n');

/** A cell as text (a spreadsheet's cell): departments' blocks on their own lines. */
export function cellText(report: YearlyReport, row: ReportRow, key: ColumnKey): string {
	switch (key) {
		case 'title':
			return titleOf(report, row);
		case 'departments':
			return departmentsOf(row);
		case 'description':
			return row.description ?? '';
		case 'year0':
			return recordsText(row.cells[0] ?? []);
		case 'year1':
			return recordsText(row.cells[1] ?? []);
		case 'planRef':
			return row.planRef ?? '';
		case 'progress':
			return progressOf(report, row)
				.map((p) => (p.department ? `${departmentMark(p.department)}${p.label}` : p.label))
				.join('\n');
	}
}

/** A node as its heading reads: 「(1) 地域防犯力の向上」. */
export const nodeHeading = (node: { code: string | null; title: string }) =>
	node.code ? `${node.code} ${node.title}` : node.title;

/**
 * The whole report as one sheet: a column per level of the plan (the plan's level labels), then
 * the report's columns, headed in the plan's own words (a section's own headings, 小金井市's 実績,
 * show in the printed page; one sheet has one header row).
 */
export function sheetOf(report: YearlyReport, options: { city: string; locale: Locale }): ReportTable {
	const columns = reportColumns(report, options.locale);
	const byId = new Map(report.nodes.map((n) => [n.id, n]));
	const depth = Math.max(0, ...report.nodes.map((n) => n.depth + 1));
	const levels = Array.from({ length: depth }, (_, i) =>
		options.locale === 'ja' && report.plan?.levelLabels[i]
			? report.plan.levelLabels[i]
			: m.report_col_level({ n: i + 1 })
	);
	const pathOf = (nodeId: string) => {
		const path: string[] = Array.from({ length: depth }, () => '');
		for (let n = byId.get(nodeId); n; n = n.parentId ? byId.get(n.parentId) : undefined) path[n.depth] = nodeHeading(n);
		return path;
	};
	return {
		name: reportFileTitle(report, options),
		header: [...levels, ...columns.map((c) => c.heading)],
		rows: report.rows.map((row) => [...pathOf(row.nodeId), ...columns.map((c) => cellText(report, row, c.key))]),
		widths: [...levels.map(() => 24), ...columns.map((c) => c.width)]
	};
}

/** The report's name for people (a file's Japanese name): 小金井市_年次報告書_令和元年度. */
export function reportFileTitle(report: YearlyReport, options: { city: string; locale: Locale }): string {
	return m.report_file_title({
		city: options.city,
		year: report.fiscalYear === null ? '' : fiscalYearShort(options.locale, report.fiscalYear)
	});
}
