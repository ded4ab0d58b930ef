import {
	cityStanding,
	collectFiscalYearFigures,
	figureYears,
	listPublications,
	publishFiscalYear,
	withdrawFiscalYear
} from '@mamori/services/benchmarks';
import { can } from '@mamori/services/auth';
import { fail } from '@sveltejs/kit';
import { sharedCodes, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';

export const _access = {
	load: 'plan.read',
	actions: { publish: 'plan.publish', withdraw: 'plan.publish' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async ({ locals, url }) => {
	const ctx = tenantContext(locals);
	const tenant = locals.tenant!;
	const [years, publications, shared] = await Promise.all([
		figureYears({ db: ctx.db }),
		listPublications({ core: locals.core, tenantId: tenant.id }),
		sharedCodes(locals)
	]);
	const asked = Number(url.searchParams.get('year'));
	const fiscalYear = years.includes(asked) ? asked : (years[0] ?? null);
	const canPublish = can(locals.principal, 'plan.publish', { tenant });
	const [preview, standing] =
		fiscalYear === null
			? [null, null]
			: await Promise.all([
					canPublish ? collectFiscalYearFigures({ db: ctx.db, fiscalYear }) : null,
					cityStanding({ core: locals.core, tenantId: tenant.id, prefectureCode: tenant.prefectureCode, fiscalYear })
				]);
	return {
		years,
		fiscalYear,
		publications,
		preview,
		standing,
		canPublish,
		indicators: shared.indicators,
		categories: shared.taxonomy.categories
	};
};

function yearFrom(data: FormData): number | null {
	const year = Number(data.get('fiscalYear'));
	return Number.isInteger(year) && year >= 1950 && year <= 2100 ? year : null;
}

export const actions: Actions = {
	publish: async ({ locals, request }) => {
		const fiscalYear = yearFrom(await request.formData());
		if (fiscalYear === null)
			return fail(400, { form: 'publish', errors: { fiscalYear: m.bench_choose_year({}, { locale: locals.locale }) } });
		const tenant = locals.tenant!;
		await publishFiscalYear({
			ctx: tenantContext(locals),
			core: locals.core,
			tenant: { id: tenant.id, municipalityCode: tenant.municipalityCode, prefectureCode: tenant.prefectureCode },
			fiscalYear
		});
		return { form: 'publish', saved: true, fiscalYear };
	},
	withdraw: async ({ locals, request }) => {
		const fiscalYear = yearFrom(await request.formData());
		if (fiscalYear === null)
			return fail(400, {
				form: 'withdraw',
				errors: { fiscalYear: m.bench_choose_year({}, { locale: locals.locale }) }
			});
		const tenant = locals.tenant!;
		await withdrawFiscalYear({
			ctx: tenantContext(locals),
			core: locals.core,
			tenant: { id: tenant.id, municipalityCode: tenant.municipalityCode, prefectureCode: tenant.prefectureCode },
			fiscalYear
		});
		return { form: 'withdraw', saved: true, fiscalYear };
	}
};
