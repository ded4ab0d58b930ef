// Back to an earlier version of anything the plan holds: an entry of the history keeps the version
// it replaced (its `before`), and restoring writes that version as the item's next one through the
// same verb as an edit — the same validation, permission and version guard — recorded as 復元.
import { and, eq } from 'drizzle-orm';
import { auditLog, departments, indicators, planNodes, plans } from '@mamori/db/tenant';
import type { TenantContext, VerbArgs } from '../context.ts';
import { restoreVersionInput } from '../domain/forms.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { restorableKind, type RestorableKind } from './audit.ts';
import { restoreRecordVersion } from './corrections.ts';
import { renameDepartment } from './departments.ts';
import { restoreInitiativeTo } from './initiatives.ts';
import { updateKpi } from './kpis.ts';
import { updateNode } from './nodes.ts';
import { updatePlan } from './plans.ts';

type Earlier = Record<string, unknown>;
type Target = { id: string; version: number | undefined };

/** The version to write over: the one the editor saw, else the one saved now (no conflict to find). */
async function versionOf(
	ctx: TenantContext,
	table: typeof planNodes | typeof indicators | typeof plans | typeof departments,
	target: Target
): Promise<number> {
	if (target.version !== undefined) return target.version;
	const [row] = await ctx.db.select({ version: table.version }).from(table).where(eq(table.id, target.id));
	if (!row) throw new NotFoundError('item');
	return row.version;
}

const restorers: Record<RestorableKind, (ctx: TenantContext, target: Target, earlier: Earlier) => Promise<unknown>> = {
	initiative: (ctx, target, earlier) => restoreInitiativeTo(ctx, target, earlier),
	// A record's entries are kept on its initiative; the record is named in them.
	record: (ctx, _target, earlier) => restoreRecordVersion(ctx, earlier.record as Earlier),
	node: async (ctx, target, earlier) =>
		updateNode({
			ctx,
			action: 'restore',
			input: { id: target.id, version: await versionOf(ctx, planNodes, target), ...pick(earlier, nodeFields) }
		}),
	// An entry written before history kept a KPI's every field holds some: the rest stay as saved.
	kpi: async (ctx, target, earlier) => {
		const [row] = await ctx.db.select().from(indicators).where(eq(indicators.id, target.id));
		if (!row) throw new NotFoundError('kpi');
		const { title, ...rest } = pick(earlier, ['title', ...kpiFields]);
		return updateKpi({
			ctx,
			action: 'restore',
			input: {
				...pick(row, kpiFields),
				...rest,
				name: title ?? row.name,
				id: target.id,
				version: await versionOf(ctx, indicators, target)
			}
		});
	},
	plan: async (ctx, target, earlier) =>
		updatePlan({
			ctx,
			action: 'restore',
			input: { id: target.id, version: await versionOf(ctx, plans, target), ...pick(earlier, planFields) }
		}),
	department: async (ctx, target, earlier) =>
		renameDepartment({
			ctx,
			action: 'restore',
			input: { id: target.id, version: await versionOf(ctx, departments, target), name: earlier.title }
		})
};

const nodeFields = ['code', 'title', 'summary'];
const kpiFields = [
	'unit',
	'direction',
	'sharedIndicatorCode',
	'baselineValue',
	'baselineYear',
	'targetValue',
	'targetYear'
] as const;
const planFields = ['title', 'kind', 'periodStart', 'periodEnd', 'levelLabels', 'initiativeLabel'];

/** The fields of `row` that are named and given (null is "not given", as an empty form field). */
function pick(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
	return Object.fromEntries(keys.filter((k) => row[k] !== undefined).map((k) => [k, row[k] ?? undefined]));
}

/**
 * Restores the version an entry of the history replaced. `id` names the item the entry is about
 * (for a record, its initiative), `version` the item's version the editor saw (omitted from the
 * city's whole history, where the restore itself is the newest entry and can be undone in turn).
 */
export async function restoreVersion({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(restoreVersionInput, raw);
	const [entry] = await ctx.db
		.select({ entity: auditLog.entity, action: auditLog.action, before: auditLog.before })
		.from(auditLog)
		.where(and(eq(auditLog.id, input.entryId), eq(auditLog.entityId, input.id)));
	if (!entry) throw new NotFoundError('history entry');
	const kind = restorableKind(entry);
	if (!kind) throw invalid('entryId', 'error_version_not_restorable');
	await restorers[kind](ctx, { id: input.id, version: input.version }, entry.before as Earlier);
}
