// An uploaded plan sheet checked against the city's plan: every problem located (sheet, row,
// column, message), or what it adds and changes, with the statements that write it. Each cell is
// validated by the shared form schemas (domain/forms.ts), and who may change each row by the one
// authoriser (ctx.authorize, authorizeRecord).
import { eq } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { initiativeCategories, initiativeDepartments, initiatives } from '@mamori/db/tenant';
import type { TenantContext } from '../context.ts';
import { initiativeForm, newInitiativeForm } from '../domain/forms.ts';
import { issuesOf, type Message } from '../errors.ts';
import { auditEntry } from '../plan/audit.ts';
import {
	INITIATIVE_COLUMNS,
	listOf,
	textOf,
	type InitiativeColumn,
	type PlanSheets,
	type SheetTable
} from './layout.ts';
import { proposeRecords } from './record-rows.ts';
import { allowed, same, sameList, versionOf, type Proposal } from './rows.ts';
import { nodeLabel, type PlanState } from './state.ts';

export type { Proposal, RowChange } from './rows.ts';

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

	proposeRecords(ctx, sheets.records, out, {
		locate,
		departmentIds,
		initiativeById,
		recordById,
		nextRecordPosition,
		now
	});
	return out;
}
