// An uploaded plan sheet checked against the city's plan: every problem located (sheet, row,
// column, message), or what it adds and changes, with the statements that write it. Each cell is
// validated by the shared form schemas (domain/forms.ts), and who may change each row by the one
// authoriser (ctx.authorize, authorizeRecord).
import { eq } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { initiativeCategories, initiativeDepartments, initiatives, metrics, yearlyRecords } from '@mamori/db/tenant';
import type { TenantContext } from '../context.ts';
import { initiativeForm, newInitiativeForm, recordForm } from '../domain/forms.ts';
import { AccessDeniedError, issuesOf, type FieldIssues, type Message } from '../errors.ts';
import { auditEntry } from '../plan/audit.ts';
import { authorizeRecord, metricStatus } from '../plan/records.ts';
import type { Statement } from '../plan/versioned.ts';
import type { Cell } from '../sheets/read.ts';
import {
	INITIATIVE_COLUMNS,
	listOf,
	RECORD_COLUMNS,
	textOf,
	type InitiativeColumn,
	type PlanSheets,
	type RecordColumn,
	type SheetProblem,
	type SheetRow,
	type SheetTable
} from './layout.ts';
import { nodeLabel, PHASE_WORDS, type Phase, type PlanState } from './state.ts';

/** One row's change, as the preview lists it. */
export interface RowChange {
	sheet: 'initiatives' | 'records';
	row: number;
	kind: 'add' | 'change';
	id: string | null;
	title: string;
	/** The headers of the columns that change. */
	columns: string[];
}

export interface Proposal {
	problems: SheetProblem[];
	changes: RowChange[];
	unchanged: { initiatives: number; records: number };
	/** What the change rests on (the ids and versions it read, the values it writes): the digest of the preview. */
	basis: unknown[];
	statements: Statement[];
}

const PHASES = new Map<string, Phase>([
	...Object.entries(PHASE_WORDS).map(([k, v]) => [v, k as Phase] as const),
	['取組み', 'actual'],
	['計画', 'plan'],
	['actual', 'actual'],
	['plan', 'plan'],
	['summary', 'summary']
]);

const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
	a.length === b.length && a.every((v, i) => v === b[i]);
const same = (db: string | null, sheet: string | null | undefined) => (db ?? '').trim() === (sheet ?? '').trim();
const versionOf = (cell: Cell): number | undefined => {
	const n = typeof cell === 'number' ? cell : cell === null ? NaN : Number(String(cell).normalize('NFKC').trim());
	return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** Asks the authoriser; a refusal becomes a located problem rather than a refusal of the whole file. */
function allowed(check: () => void): boolean {
	try {
		check();
		return true;
	} catch (error) {
		if (error instanceof AccessDeniedError) return false;
		throw error;
	}
}

export function propose(ctx: TenantContext, sheets: PlanSheets, state: PlanState, taxonomy: Set<string>): Proposal {
	const out: Proposal = {
		problems: [...sheets.problems],
		changes: [],
		unchanged: { initiatives: 0, records: 0 },
		basis: [],
		statements: []
	};
	const now = new Date(ctx.now());
	const deptByName = new Map(state.departments.map((d) => [d.name.normalize('NFKC').trim(), d.id]));
	const deptName = new Map(state.departments.map((d) => [d.id, d.name]));
	const nodeById = new Map(state.nodes.map((n) => [n.id, n]));
	const nodeByLabel = new Map(
		state.nodes.flatMap((n) => [
			[nodeLabel(n).normalize('NFKC').replace(/\s/g, ''), n] as const,
			...(n.code ? [[n.code.normalize('NFKC').trim(), n] as const] : [])
		])
	);
	const initiativeById = new Map(state.initiatives.filter((i) => i.deletedAt === null).map((i) => [i.id, i]));
	const recordById = new Map(state.records.filter((r) => r.deletedAt === null).map((r) => [r.id, r]));
	const nextPosition = new Map<string, number>();
	for (const i of state.initiatives)
		nextPosition.set(i.nodeId, Math.max(nextPosition.get(i.nodeId) ?? 0, i.position + 1));
	const nextRecordPosition = new Map<string, number>();
	for (const r of state.records)
		nextRecordPosition.set(r.initiativeId, Math.max(nextRecordPosition.get(r.initiativeId) ?? 0, r.position + 1));

	function locate<C extends string>(table: SheetTable<C>, row: number, column: C, headers: Record<C, string>) {
		return (reason: Message) =>
			out.problems.push({ sheet: table.kind, row, column: table.at(column), header: headers[column], reason });
	}
	const departmentIds = (names: string[], problem: (m: Message) => void) => {
		const ids: string[] = [];
		for (const name of names) {
			const id = deptByName.get(name.normalize('NFKC').trim());
			if (id) ids.push(id);
			else problem({ key: 'sheet_unknown_department', params: { name } });
		}
		return ids;
	};

	const table = sheets.initiatives;
	const seen = new Map<string, number>();
	for (const { row, cells } of table?.rows ?? []) {
		const at = (column: InitiativeColumn) => locate(table!, row, column, INITIATIVE_COLUMNS);
		const before = out.problems.length;
		const id = textOf(cells.id)?.trim();
		const existing = id ? initiativeById.get(id) : undefined;
		if (id && !existing) at('id')({ key: 'sheet_unknown_initiative', params: { id } });
		if (id && seen.has(id)) at('id')({ key: 'sheet_duplicate_id', params: { row: seen.get(id)! } });
		if (id) seen.set(id, row);
		const nodeText = textOf(cells.nodeId)?.trim();
		const nodeName = textOf(cells.node)?.normalize('NFKC').replace(/\s/g, '');
		const node = nodeText
			? nodeById.get(nodeText)
			: nodeName
				? nodeByLabel.get(nodeName)
				: existing
					? nodeById.get(existing.nodeId)
					: undefined;
		if (nodeText && !node) at('nodeId')({ key: 'sheet_unknown_node', params: { id: nodeText } });
		else if (!nodeText && nodeName && !node) at('node')({ key: 'sheet_unknown_node', params: { id: nodeName } });
		else if (!node && !existing) at('nodeId')({ key: 'validation_node_required' });
		const depIds = departmentIds(listOf(cells.departments), at('departments'));
		const categoryCodes = listOf(cells.categories);
		for (const code of categoryCodes)
			if (!taxonomy.has(code)) at('categories')({ key: 'sheet_unknown_category', params: { code } });
		const code = textOf(cells.code)?.trim() || null;
		if (code && code.length > 20) at('code')({ key: 'sheet_code_too_long', params: { max: 20 } });
		const fields = {
			title: textOf(cells.title),
			description: textOf(cells.description),
			planRef: textOf(cells.planRef),
			departmentIds: depIds,
			categoryCodes
		};
		const parsed = existing
			? initiativeForm.safeParse({ ...fields, version: existing.version })
			: newInitiativeForm.safeParse({ ...fields, nodeId: node?.id ?? '' });
		const columnOf: Record<string, InitiativeColumn> = {
			title: 'title',
			description: 'description',
			planRef: 'planRef',
			departmentIds: 'departments',
			categoryCodes: 'categories',
			nodeId: 'nodeId'
		};
		if (!parsed.success)
			for (const [field, message] of Object.entries(issuesOf(parsed.error)))
				if (!(field === 'nodeId' && out.problems.length > before))
					at(columnOf[field.split('.')[0]!] ?? 'title')(message);
		if (out.problems.length > before || !parsed.success || !node) continue;
		const input = parsed.data;
		const values = {
			nodeId: node.id,
			code,
			title: input.title,
			description: input.description ?? null,
			planRef: input.planRef ?? null,
			departmentIds: [...new Set(input.departmentIds)],
			categoryCodes: [...new Set(input.categoryCodes)]
		};
		const relations = (initiativeId: string) => [
			...(values.departmentIds.length
				? [
						ctx.db
							.insert(initiativeDepartments)
							.values(values.departmentIds.map((departmentId, position) => ({ initiativeId, departmentId, position })))
					]
				: []),
			...(values.categoryCodes.length
				? [
						ctx.db
							.insert(initiativeCategories)
							.values(values.categoryCodes.map((categoryCode, position) => ({ initiativeId, categoryCode, position })))
					]
				: [])
		];
		if (!existing) {
			// A new initiative changes the plan's tree: not a department-limited editor's to make.
			if (!allowed(() => ctx.authorize('plan.edit'))) {
				at('id')({ key: 'sheet_forbidden_row' });
				continue;
			}
			const newIdValue = newId();
			const position = nextPosition.get(node.id) ?? 0;
			nextPosition.set(node.id, position + 1);
			out.basis.push(['add-initiative', row, values]);
			out.changes.push({ sheet: 'initiatives', row, kind: 'add', id: null, title: values.title, columns: [] });
			out.statements.push(
				ctx.db.insert(initiatives).values({
					id: newIdValue,
					planId: node.planId,
					nodeId: node.id,
					code: values.code,
					title: values.title,
					description: values.description,
					planRef: values.planRef,
					position
				}),
				...relations(newIdValue),
				auditEntry(ctx, {
					entity: 'initiative',
					entityId: newIdValue,
					action: 'create',
					before: null,
					after: { ...values, source: 'sheet' }
				})
			);
			continue;
		}
		const changed = (
			[
				['nodeId', existing.nodeId !== values.nodeId],
				['code', !same(existing.code, values.code)],
				['title', !same(existing.title, values.title)],
				['description', !same(existing.description, values.description)],
				['planRef', !same(existing.planRef, values.planRef)],
				['departments', !sameList(existing.departmentIds, values.departmentIds)],
				['categories', !sameList(existing.categoryCodes, values.categoryCodes)]
			] as const
		)
			.filter(([, differs]) => differs)
			.map(([column]) => column);
		if (changed.length === 0) {
			out.unchanged.initiatives++;
			continue;
		}
		const sheetVersion = versionOf(cells.version);
		if (sheetVersion !== undefined && sheetVersion !== existing.version) {
			at('version')({ key: 'sheet_stale_row', params: { version: existing.version } });
			continue;
		}
		// A department-limited editor keeps to their departments' initiatives, before and after;
		// moving one to another section changes the tree.
		const permitted = allowed(() => {
			ctx.authorize('plan.edit', { departmentIds: existing.departmentIds });
			ctx.authorize('plan.edit', { departmentIds: values.departmentIds });
			if (changed.includes('nodeId')) ctx.authorize('plan.edit');
		});
		if (!permitted) {
			at('id')({ key: 'sheet_forbidden_row' });
			continue;
		}
		out.basis.push(['change-initiative', existing.id, existing.version, values]);
		out.changes.push({
			sheet: 'initiatives',
			row,
			kind: 'change',
			id: existing.id,
			title: values.title,
			columns: changed.map((c) => INITIATIVE_COLUMNS[c])
		});
		const relationsChanged = changed.includes('departments') || changed.includes('categories');
		out.statements.push(
			ctx.db
				.update(initiatives)
				.set({
					nodeId: values.nodeId,
					code: values.code,
					title: values.title,
					description: values.description,
					planRef: values.planRef,
					...(changed.includes('categories') ? { taxonomyReview: null } : {}),
					version: existing.version + 1,
					updatedAt: now
				})
				.where(eq(initiatives.id, existing.id)),
			...(relationsChanged
				? [
						ctx.db.delete(initiativeDepartments).where(eq(initiativeDepartments.initiativeId, existing.id)),
						ctx.db.delete(initiativeCategories).where(eq(initiativeCategories.initiativeId, existing.id)),
						...relations(existing.id)
					]
				: []),
			auditEntry(ctx, {
				entity: 'initiative',
				entityId: existing.id,
				action: 'update',
				before: { ...existing, departments: existing.departmentIds.map((d) => ({ id: d, name: deptName.get(d) })) },
				after: {
					...existing,
					...values,
					version: existing.version + 1,
					departments: values.departmentIds.map((d) => ({ id: d, name: deptName.get(d) }))
				}
			})
		);
	}

	proposeRecords(ctx, sheets.records, state, out, {
		locate,
		departmentIds,
		initiativeById,
		recordById,
		nextRecordPosition,
		now
	});
	return out;
}

type Helpers = {
	locate: <C extends string>(
		table: SheetTable<C>,
		row: number,
		column: C,
		headers: Record<C, string>
	) => (reason: Message) => void;
	departmentIds: (names: string[], problem: (m: Message) => void) => string[];
	initiativeById: Map<string, PlanState['initiatives'][number]>;
	recordById: Map<string, PlanState['records'][number]>;
	nextRecordPosition: Map<string, number>;
	now: Date;
};

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

function proposeRecords(
	ctx: TenantContext,
	table: SheetTable<RecordColumn> | null,
	state: PlanState,
	out: Proposal,
	h: Helpers
) {
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
	void state;
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
