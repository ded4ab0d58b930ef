// The yearly report as a file for Excel, the same rows as the printed page (sheetOf). The ASCII
// name (koganei-report-2019.csv) is for any client; filename* gives the Japanese one
// (小金井市_年次報告書_令和元年度.csv, RFC 6266) to those that read it.
import { readYearlyReport, reportCsv, reportXlsx } from '@mamori/services/report';
import { reportFileTitle, sheetOf } from '$lib/components/report/report-table';
import type { EndpointAccess } from '$lib/server/access';
import { loading, refuse } from '$lib/server/errors';
import { tenantContext, tenantOf } from '$lib/server/workspace';
import type { RequestHandler } from './$types';

export const _access = { GET: 'plan.read' } satisfies EndpointAccess;

const kinds = {
	xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', make: reportXlsx },
	csv: { type: 'text/csv; charset=utf-8', make: reportCsv }
} as const;

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const tenant = tenantOf(locals);
	const fiscalYear = url.searchParams.get('year') ?? undefined;
	const report = await loading(locals, () => readYearlyReport({ ctx: tenantContext(locals), input: { fiscalYear } }));
	if (report.fiscalYear === null) return refuse(locals.locale, 404, 'error_not_found');
	const options = { city: tenant.name, locale: locals.locale };
	const kind = kinds[params.format];
	const body = await kind.make(sheetOf(report, options));
	const ascii = `${tenant.slug}-report-${report.fiscalYear}.${params.format}`;
	const own = encodeURIComponent(`${reportFileTitle(report, options)}.${params.format}`);
	return new Response(body, {
		headers: {
			'content-type': kind.type,
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${own}`,
			'cache-control': 'private, no-store'
		}
	});
};
