// The yearly records sheet's rows checked against the plan: each record (with the figures of the
// rows below it) validated by recordForm, authorised by authorizeRecord, and its statements.
import { eq } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { metrics, yearlyRecords } from '@mamori/db/tenant';
import type { TenantContext } from '../context.ts';
import { recordForm } from '../domain/forms.ts';
import { issuesOf, type FieldIssues } from '../errors.ts';
import { auditEntry } from '../plan/audit.ts';
import { authorizeRecord, metricStatus } from '../plan/records.ts';
import type { Statement } from '../plan/versioned.ts';
import { listOf, RECORD_COLUMNS, textOf, type RecordColumn, type SheetRow, type SheetTable } from './layout.ts';
import { allowed, PHASES, same, versionOf, type Helpers, type Proposal } from './rows.ts';
import type { PlanState } from './state.ts';

const METRIC_CELLS: RecordColumn[] = ['label', 'value', 'unit'];
const RECORD_CELLS: RecordColumn[] = ['id', 'version', 'initiativeId', 'fiscalYear', 'phase', 'department', 'text'];

/** Records with their figures: a row with only figure cells belongs to the record above it. */
function groupRecords(table: SheetTable<RecordColumn>) {
	const groups: { first: SheetRow<RecordColumn>; figures: SheetRow<RecordColumn>[] }[] = [];
	for (const row of table.rows) {
		const onlyFigure = RECORD_CELLS.every((c) => row.cells[c] === null);
		const last = groups.at(-1);
		if (onlyFigure && last) last.figures.push(row);
		else groups.push({ first: row, figures: METRIC_CELLS.some((c) => row.cells[c] !== null) ? [row] : [] });
	}
	return groups;
}

export function proposeRecords(ctx: TenantContext, table: SheetTable<RecordColumn> | null, out: Proposal, h: Helpers) {
	if (!table) return;
	const seen = new Map<string, number>();
	for (const { first, figures } of groupRecords(table)) {
		const { row, cells } = first;
		const at = (column: RecordColumn, r = row) => h.locate(table, r, column, RECORD_COLUMNS);
		const before = out.problems.length;
		const id = textOf(cells.id)?.trim();
		const existing = id ? h.recordById.get(id) : undefined;
		if (id && !existing) at('id')({ key: 'sheet_unknown_record', params: { id } });
		if (id && seen.has(id)) at('id')({ key: 'sheet_duplicate_id', params: { row: seen.get(id)! } });
		if (id) seen.set(id, row);
		const initiativeText = textOf(cells.initiativeId)?.trim();
		const initiative = h.initiativeById.get(initiativeText ?? existing?.initiativeId ?? '');
		if (initiativeText && !initiative)
			at('initiativeId')({ key: 'sheet_unknown_initiative', params: { id: initiativeText } });
		else if (!initiative && !existing) at('initiativeId')({ key: 'sheet_initiative_required' });
		else if (existing && initiative && existing.initiativeId !== initiative.id)
			at('initiativeId')({ key: 'sheet_record_moved' });
		const [departmentId, ...extra] = h.departmentIds(listOf(cells.department), at('department'));
		if (extra.length > 0) at('department')({ key: 'sheet_one_department' });
		const phaseText = textOf(cells.phase)?.normalize('NFKC').trim() ?? '';
		const parsed = recordForm.safeParse({
			fiscalYear: cells.fiscalYear === null ? undefined : String(cells.fiscalYear),
			phase: PHASES.get(phaseText) ?? (phaseText || undefined),
			departmentId,
			text: textOf(cells.text),
			metrics: figures.map((f) => ({
				label: textOf(f.cells.label),
				value: typeof f.cells.value === 'number' ? f.cells.value : (textOf(f.cells.value) ?? ''),
				unit: textOf(f.cells.unit)
			}))
		});
		if (!parsed.success) {
			const issues: FieldIssues = issuesOf(parsed.error);
			for (const [field, message] of Object.entries(issues)) {
				const [name, index, part] = field.split('.');
				if (name === 'metrics' && index !== undefined) {
					const figureRow = figures[Number(index)]?.row ?? row;
					at((part === 'label' || part === 'unit' ? part : 'value') as RecordColumn, figureRow)(message);
				} else at((name === 'departmentId' ? 'department' : name) as RecordColumn)(message);
			}
		}
		if (out.problems.length > before || !parsed.success || !initiative) continue;
		const input = parsed.data;
		const figureValues = input.metrics.map((m) => ({ label: m.label, value: m.value, unit: m.unit }));
		const values = {
			fiscalYear: input.fiscalYear,
			phase: input.phase,
			departmentId: input.departmentId ?? null,
			text: input.text
		};
		if (!allowed(() => authorizeRecord(ctx, { initiativeDepartmentIds: initiative.departmentIds, departmentId }))) {
			if (!existing || changedColumns(existing, values, figureValues).length > 0)
				at('id')({ key: 'sheet_forbidden_row' });
			else out.unchanged.records++;
			continue;
		}
		const figureRows = (recordId: string, from = 0) =>
			figureValues.slice(from).map((m, i) => ({
				id: newId(),
				recordId,
				label: m.label,
				value: m.value,
				unit: m.unit,
				periodKind: 'fiscal_year' as const,
				periodYear: values.fiscalYear,
				status: metricStatus(undefined, values.phase),
				position: from + i
			}));
		const audit = (before: unknown, after: unknown) =>
			auditEntry(ctx, { entity: 'initiative', entityId: initiative.id, action: 'update', before, after });
		if (!existing) {
			const recordId = newId();
			const position = h.nextRecordPosition.get(initiative.id) ?? 0;
			h.nextRecordPosition.set(initiative.id, position + 1);
			out.basis.push(['add-record', row, initiative.id, values, figureValues]);
			out.changes.push({ sheet: 'records', row, kind: 'add', id: null, title: initiative.title, columns: [] });
			const rows = figureRows(recordId);
			out.statements.push(
				ctx.db.insert(yearlyRecords).values({ id: recordId, initiativeId: initiative.id, ...values, position }),
				...(rows.length ? [ctx.db.insert(metrics).values(rows)] : []),
				audit(null, { record: { ...values, metrics: figureValues } })
			);
			continue;
		}
		const changed = changedColumns(existing, values, figureValues);
		if (changed.length === 0) {
			out.unchanged.records++;
			continue;
		}
		const sheetVersion = versionOf(cells.version);
		if (sheetVersion !== undefined && sheetVersion !== existing.version) {
			at('version')({ key: 'sheet_stale_row', params: { version: existing.version } });
			continue;
		}
		out.basis.push([
			'change-record',
			existing.id,
			existing.version,
			existing.metrics.map((m) => [m.id, m.version]),
			values,
			figureValues
		]);
		out.changes.push({
			sheet: 'records',
			row,
			kind: 'change',
			id: existing.id,
			title: initiative.title,
			columns: changed.map((c) => RECORD_COLUMNS[c])
		});
		const figureStatements: Statement[] = [];
		if (changed.some((c) => METRIC_CELLS.includes(c)) || changed.includes('fiscalYear')) {
			existing.metrics.forEach((m, i) => {
				const next = figureValues[i];
				if (!next) figureStatements.push(ctx.db.delete(metrics).where(eq(metrics.id, m.id)));
				else
					figureStatements.push(
						ctx.db
							.update(metrics)
							.set({ ...next, periodYear: values.fiscalYear, version: m.version + 1, updatedAt: h.now })
							.where(eq(metrics.id, m.id))
					);
			});
			const rows = figureRows(existing.id, existing.metrics.length);
			if (rows.length) figureStatements.push(ctx.db.insert(metrics).values(rows));
		}
		out.statements.push(
			ctx.db
				.update(yearlyRecords)
				.set({ ...values, version: existing.version + 1, updatedAt: h.now })
				.where(eq(yearlyRecords.id, existing.id)),
			...figureStatements,
			audit(
				{
					record: {
						id: existing.id,
						...pick(existing),
						metrics: existing.metrics.map(({ label, value, unit }) => ({ label, value, unit }))
					}
				},
				{ record: { id: existing.id, ...values, metrics: figureValues } }
			)
		);
	}
}

const pick = (r: PlanState['records'][number]) => ({
	fiscalYear: r.fiscalYear,
	phase: r.phase,
	departmentId: r.departmentId,
	text: r.text
});

function changedColumns(
	existing: PlanState['records'][number],
	values: { fiscalYear: number; phase: string; departmentId: string | null; text: string },
	figures: { label: string; value: number; unit: string }[]
): RecordColumn[] {
	const out: RecordColumn[] = [];
	if (existing.fiscalYear !== values.fiscalYear) out.push('fiscalYear');
	if (existing.phase !== values.phase) out.push('phase');
	if (existing.departmentId !== values.departmentId) out.push('department');
	if (!same(existing.text, values.text)) out.push('text');
	const a = existing.metrics;
	const longest = Math.max(a.length, figures.length);
	for (const column of ['label', 'value', 'unit'] as const)
		for (let i = 0; i < longest; i++)
			if (a[i]?.[column] !== figures[i]?.[column]) {
				out.push(column);
				break;
			}
	return out;
}
