// The plan itself (防犯計画 / 指針): its title as the city names it, kind, period in 年度, the names of
// its levels (施策 / 主要な施策 / 分野…) and its word for an initiative (主な取組 / 取組事業…). A city
// holds one plan; a newly subscribed city starts by creating it.
import { asc } from 'drizzle-orm';
import { newId } from '@mamori/db';
import { plans } from '@mamori/db/tenant';
import { createPlanInput, updatePlanInput } from '../domain/forms.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { auditEntry, type EditArgs } from './audit.ts';
import { runBatch, updateVersioned, versionedWrite } from './versioned.ts';

async function currentPlan(ctx: TenantContext) {
	const [row] = await ctx.db.select().from(plans).orderBy(asc(plans.createdAt)).limit(1);
	return row;
}

type PlanFields = Pick<
	typeof plans.$inferSelect,
	'title' | 'kind' | 'periodStart' | 'periodEnd' | 'levelLabels' | 'initiativeLabel'
>;

/** What the plan's form sets, as stored and as history shows it. */
function fieldsOf(
	plan: Omit<PlanFields, 'periodStart' | 'periodEnd'> & { periodStart?: number | null; periodEnd?: number | null }
): PlanFields {
	return {
		title: plan.title,
		kind: plan.kind,
		periodStart: plan.periodStart ?? null,
		periodEnd: plan.periodEnd ?? null,
		levelLabels: plan.levelLabels,
		initiativeLabel: plan.initiativeLabel
	};
}

/** The city's plan, or null for a city that has not started one. */
export async function readPlan({ ctx }: Pick<VerbArgs, 'ctx'>) {
	ctx.authorize('plan.read');
	return (await currentPlan(ctx)) ?? null;
}

export async function createPlan({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(createPlanInput, raw);
	if (await currentPlan(ctx)) throw invalid('form', 'error_plan_exists');
	const id = newId();
	const values = fieldsOf(input);
	await runBatch(ctx, [
		ctx.db.insert(plans).values({ id, ...values }),
		auditEntry(ctx, { entity: 'plan', entityId: id, action: 'create', before: null, after: values })
	]);
	return { id };
}

export async function updatePlan({ ctx, input: raw, action = 'update' }: EditArgs) {
	ctx.authorize('plan.edit'); // first: a plan-wide change, refused to a department-limited editor
	const input = parseInput(updatePlanInput, raw);
	const saved = await currentPlan(ctx);
	if (!saved || saved.id !== input.id) throw new NotFoundError('plan');
	await versionedWrite(ctx, {
		what: 'plan',
		read: () => currentPlan(ctx),
		expected: input.version,
		authorize: () => ctx.authorize('plan.edit'),
		write: (before) => {
			const after = fieldsOf(input);
			return [
				updateVersioned(ctx, plans, before, after),
				auditEntry(ctx, { entity: 'plan', entityId: before.id, action, before: fieldsOf(before), after })
			];
		}
	});
}
