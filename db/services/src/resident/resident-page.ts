// The city's admin opens or closes its page for residents (tenants.resident_page, core database).
// Who showed the public what, and when, is in the city's own history: journalled in the same core
// batch as the change (history/journal.ts), as publishing a fiscal year is.
import { eq } from 'drizzle-orm';
import { tenants } from '@mamori/db/core';
import type { VerbArgs } from '../context.ts';
import { residentPageInput } from '../domain/forms.ts';
import { parseInput } from '../errors.ts';
import { applyJournalled, journalEntry } from '../history/journal.ts';

/** The history's id of the setting: one entity, whose value is on or off. */
export const RESIDENT_PAGE_ENTITY_ID = 'resident-page';

export async function setResidentPage({ ctx, input: raw }: VerbArgs): Promise<{ residentPage: boolean }> {
	ctx.authorize('plan.publish');
	const { residentPage } = parseInput(residentPageInput, raw);
	const { core, tenant } = ctx;
	const [row] = await core
		.select({ residentPage: tenants.residentPage })
		.from(tenants)
		.where(eq(tenants.id, tenant.id));
	// Saying again what holds changes nothing, and records nothing.
	if (!row || row.residentPage === residentPage) return { residentPage };
	const history = journalEntry(ctx, {
		entity: 'plan',
		entityId: RESIDENT_PAGE_ENTITY_ID,
		action: 'update',
		before: { residentPage: row.residentPage },
		after: { residentPage }
	});
	await core.batch([core.update(tenants).set({ residentPage }).where(eq(tenants.id, tenant.id)), history.statement]);
	await applyJournalled(ctx, history.row);
	return { residentPage };
}
