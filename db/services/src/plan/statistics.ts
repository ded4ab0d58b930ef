// Statistics of a policy area (the figures of 現状と課題: 刑法犯認知件数 1,444件 in 令和2年) and the
// plans a city's numbering refers to (施策番号 → 苫小牧市総合防犯計画 第３章 ２（１）). A statistic
// mapped to a shared indicator is published with the city's other figures (benchmarks/collect.ts).
import { and, asc, eq, isNull } from 'drizzle-orm';
import { nodeStatistics, planNodes, planReferences } from '@mamori/db/tenant';
import {
	createStatisticInput,
	deleteStatisticInput,
	target,
	updateStatisticInput,
	type StatisticForm
} from '../domain/forms.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { auditEntry } from './audit.ts';
import {
	insertNew,
	lastPosition,
	liveRow,
	nextPosition,
	planEntity,
	setDeleted,
	updateVersioned
} from './versioned.ts';

const statistic = planEntity('statistic', async (ctx, id) => {
	const [row] = await ctx.db.select().from(nodeStatistics).where(eq(nodeStatistics.id, id));
	return row;
});
type StatisticRow = NonNullable<Awaited<ReturnType<typeof statistic.read>>>;

/** The statistics of a node, in their order, and the plans its numbering refers to (the legend). */
export async function listNodeStatistics({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const { id } = parseInput(target, raw);
	const [statistics, references] = await ctx.db.batch([
		ctx.db
			.select()
			.from(nodeStatistics)
			.where(and(eq(nodeStatistics.nodeId, id), isNull(nodeStatistics.deletedAt)))
			.orderBy(asc(nodeStatistics.position)),
		ctx.db.select().from(planReferences).where(isNull(planReferences.deletedAt)).orderBy(asc(planReferences.position))
	]);
	return { statistics, references };
}
export type NodeStatistic = Awaited<ReturnType<typeof listNodeStatistics>>['statistics'][number];
export type PlanReference = Awaited<ReturnType<typeof listNodeStatistics>>['references'][number];

type Fields = StatisticForm;

/**
 * A statistic feeds a shared indicator only in the indicator's own unit and period kind (a count
 * by 年 is not a count by 年度): otherwise it is refused with the reason, beside the field.
 */
async function checkIndicator(ctx: TenantContext, input: Fields) {
	if (!input.sharedIndicatorCode) return;
	const { indicators } = await ctx.shared();
	const indicator = indicators.find((i) => i.code === input.sharedIndicatorCode);
	if (!indicator) throw invalid('sharedIndicatorCode', 'error_indicator_unknown');
	if (indicator.unit !== input.unit)
		throw invalid('sharedIndicatorCode', 'error_statistic_indicator_unit', { unit: indicator.unit });
	if (indicator.periodKind !== input.periodKind)
		throw invalid('sharedIndicatorCode', 'error_statistic_indicator_period', {
			period: { key: indicator.periodKind === 'calendar_year' ? 'period_calendar_year' : 'period_fiscal_year' }
		});
}

function columns(input: Fields) {
	return {
		label: input.label,
		value: input.value,
		unit: input.unit,
		periodKind: input.periodKind,
		periodYear: input.periodYear,
		status: input.status ?? null,
		sharedIndicatorCode: input.sharedIndicatorCode ?? null,
		note: input.note ?? null
	};
}

/** What history keeps of a statistic, on its node. */
const snapshot = (s: Pick<StatisticRow, 'label' | 'value' | 'unit' | 'periodKind' | 'periodYear'>) => ({
	statistic: { label: s.label, amount: s.value, unit: s.unit, periodKind: s.periodKind, year: s.periodYear }
});
const audit = (
	ctx: TenantContext,
	nodeId: string,
	action: 'create' | 'update' | 'delete',
	before: StatisticRow | null,
	after: ReturnType<typeof columns> | null
) =>
	auditEntry(ctx, {
		entity: 'node',
		entityId: nodeId,
		action,
		before: before && snapshot(before),
		after: after && snapshot(after)
	});

export async function createStatistic({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(createStatisticInput, raw);
	await checkIndicator(ctx, input);
	const [nodes, last] = await ctx.db.batch([
		liveRow(ctx, planNodes, input.nodeId),
		lastPosition(ctx, nodeStatistics.position, eq(nodeStatistics.nodeId, input.nodeId))
	]);
	if (!nodes[0]) throw new NotFoundError('node');
	const values = columns(input);
	return insertNew(ctx, (id) => [
		ctx.db.insert(nodeStatistics).values({ id, nodeId: input.nodeId, position: nextPosition(last), ...values }),
		audit(ctx, input.nodeId, 'create', null, values)
	]);
}

/** A statistic is named with its node: one found under another node's id is not found. */
const ofOtherNode = (nodeId: string) => (row: StatisticRow) => row.deletedAt !== null || row.nodeId !== nodeId;

export async function updateStatistic({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(updateStatisticInput, raw);
	await statistic.write(
		ctx,
		input,
		async (before) => {
			await checkIndicator(ctx, input);
			const values = columns(input);
			return [
				updateVersioned(ctx, nodeStatistics, before, values),
				audit(ctx, before.nodeId, 'update', before, values)
			];
		},
		{ gone: ofOtherNode(input.nodeId) }
	);
}

/** Deleting is soft: the row stays, and its history row keeps what it said. */
export async function deleteStatistic({ ctx, input: raw }: VerbArgs) {
	const input = parseInput(deleteStatisticInput, raw);
	await statistic.write(
		ctx,
		input,
		(before) => [
			setDeleted(ctx, nodeStatistics, before, new Date(ctx.now())),
			audit(ctx, before.nodeId, 'delete', before, null)
		],
		{ gone: ofOtherNode(input.nodeId) }
	);
}
