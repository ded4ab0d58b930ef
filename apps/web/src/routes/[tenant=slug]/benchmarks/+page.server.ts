import {
	cityStanding,
	collectFiscalYearFigures,
	figureYears,
	listPublications,
	publishFiscalYear,
	withdrawFiscalYear
} from '@mamori/services/benchmarks';
import { can } from '@mamori/services/auth';
import { roundYears } from '@mamori/services/rounds';
import { yearParam } from '$lib/server/benchmarks';
import { loading } from '$lib/server/errors';
import { formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { publish: 'plan.publish', withdraw: 'plan.publish' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, url }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const tenant = locals.tenant!;
		const [years, publications, shared, rounds] = await Promise.all([
			figureYears({ db: ctx.db }),
			listPublications({ core: locals.core, tenantId: tenant.id }),
			ctx.shared(),
			roundYears(ctx)
		]);
		// Unasked, the newest year whose reporting round is closed: its figures are final.
		const closedYear = years.find((y) => rounds.get(y) === 'closed');
		const fiscalYear = url.searchParams.has('year') || closedYear === undefined ? yearParam(url, years) : closedYear;
		const canPublish = can(locals.principal, 'plan.publish', { tenant });
		// Publishing and withdrawing are confirmed on a page of their own (?confirm=), so without
		// JavaScript too.
		const asked = url.searchParams.get('confirm');
		const published = publications.some((p) => p.fiscalYear === fiscalYear);
		const confirm: 'publish' | 'withdraw' | null =
			canPublish && fiscalYear !== null && (asked === 'publish' || (asked === 'withdraw' && published)) ? asked : null;
		const [preview, standing] =
			fiscalYear === null
				? [null, null]
				: await Promise.all([
						canPublish ? collectFiscalYearFigures({ db: ctx.db, fiscalYear }) : null,
						cityStanding({
							core: locals.core,
							tenantId: tenant.id,
							prefectureCode: tenant.prefectureCode,
							fiscalYear
						})
					]);
		return {
			years,
			fiscalYear,
			publications,
			preview,
			standing,
			canPublish,
			confirm,
			// The confirmation's idempotency key: sent twice, it is published once.
			publishKey: confirm === 'publish' ? crypto.randomUUID() : null,
			round: fiscalYear === null ? null : (rounds.get(fiscalYear) ?? null),
			indicators: shared.indicators,
			categories: shared.taxonomy.categories
		};
	});

export const actions: Actions = {
	publish: (event) =>
		formAction(event, 'publish', async (values) => {
			const figures = await publishFiscalYear({ ctx: tenantContext(event.locals), input: values });
			return { fiscalYear: figures.fiscalYear };
		}),
	withdraw: (event) =>
		formAction(event, 'withdraw', async (values) => {
			await withdrawFiscalYear({ ctx: tenantContext(event.locals), input: values });
			return { fiscalYear: Number(values.fiscalYear) };
		})
};
