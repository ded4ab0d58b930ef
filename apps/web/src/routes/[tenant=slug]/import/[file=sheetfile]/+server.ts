// The plan's template, prefilled with the city's plan as it is (ids and versions included): the
// city edits it in Excel and uploads it at /{tenant}/import. The name carries the city and the day (JST).
import { planTemplate, type TemplateFormat } from '@mamori/services/plan-sheet';
import type { EndpointAccess } from '$lib/server/access';
import { tenantContext, tenantOf } from '$lib/server/workspace';
import type { RequestHandler } from './$types';

export const _access = { GET: 'plan.edit' } satisfies EndpointAccess;

const formats: Record<string, TemplateFormat> = {
	'template.xlsx': 'xlsx',
	'initiatives.csv': 'initiatives',
	'records.csv': 'records'
};

export const GET: RequestHandler = async ({ locals, params }) => {
	const file = await planTemplate({ ctx: tenantContext(locals), format: formats[params.file]! });
	const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
	const name = `mamori-${tenantOf(locals).slug}-${day}-${params.file}`;
	const type =
		file.type === 'xlsx'
			? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
			: 'text/csv; charset=utf-8';
	return new Response((file.type === 'xlsx' ? file.bytes : file.text) as BodyInit, {
		headers: { 'content-type': type, 'content-disposition': `attachment; filename="${name}"` }
	});
};
