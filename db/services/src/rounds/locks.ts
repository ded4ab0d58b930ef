// What a closed reporting round locks: the rule the database enforces (migration 0008's triggers),
// for pages to show a record as final instead of offering a form that would be refused.
import { eq } from 'drizzle-orm';
import { reportingRounds } from '@mamori/db/tenant';
import type { TenantContext } from '../context.ts';

/** The closed rounds, to read in a page's batch. */
export const closedRounds = (ctx: TenantContext) =>
	ctx.db
		.select({ id: reportingRounds.id, fiscalYear: reportingRounds.fiscalYear })
		.from(reportingRounds)
		.where(eq(reportingRounds.state, 'closed'));

/** A record is locked when its year's round is closed (plans for later years excepted), or the round that wrote it is. */
export function isLocked(
	record: { fiscalYear: number; phase: string; roundId: string | null },
	closed: readonly { id: string; fiscalYear: number }[]
): boolean {
	return closed.some((r) => (r.fiscalYear === record.fiscalYear && record.phase !== 'plan') || r.id === record.roundId);
}

/** Each fiscal year that has a round, and whether it is open or closed: what publishing tells the admin. */
export async function roundYears(ctx: TenantContext): Promise<Map<number, 'open' | 'closed'>> {
	ctx.authorize('plan.read');
	const rows = await ctx.db
		.select({ fiscalYear: reportingRounds.fiscalYear, state: reportingRounds.state })
		.from(reportingRounds);
	return new Map(rows.map((r) => [r.fiscalYear, r.state]));
}
