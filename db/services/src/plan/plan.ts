// Reads of a city's plan from its own database.
import { and, asc, count, isNull } from 'drizzle-orm';
import type { TenantDb } from '@mamori/db';
import { initiatives, planNodes, plans } from '@mamori/db/tenant';

export interface PlanSummary {
	id: string;
	title: string;
	nodes: { id: string; parentId: string | null; code: string | null; title: string; initiativeCount: number }[];
}

/** The plan and its tree with initiative counts: one batch, one round trip. */
export async function readPlanSummary({ db }: { db: TenantDb }): Promise<PlanSummary | null> {
	const [planRows, nodeRows, counts] = await db.batch([
		db.select({ id: plans.id, title: plans.title }).from(plans).orderBy(asc(plans.createdAt)).limit(1),
		db
			.select({ id: planNodes.id, parentId: planNodes.parentId, code: planNodes.code, title: planNodes.title })
			.from(planNodes)
			.where(isNull(planNodes.deletedAt))
			.orderBy(asc(planNodes.position)),
		db
			.select({ nodeId: initiatives.nodeId, n: count() })
			.from(initiatives)
			.where(and(isNull(initiatives.deletedAt)))
			.groupBy(initiatives.nodeId)
	]);
	const plan = planRows[0];
	if (!plan) return null;
	const perNode = new Map(counts.map((c) => [c.nodeId, c.n]));
	return {
		...plan,
		nodes: nodeRows.map((n) => ({ ...n, initiativeCount: perNode.get(n.id) ?? 0 }))
	};
}
