// All of the city's data, as JSON in the published format (/export-format.schema.json) or as an
// SQLite database file (the city's tables, every row). The name carries the city and the day
// (JST); the file itself carries no date, so the same data is always the same file.
import { exportCityJson, exportCitySqlite } from '@mamori/services/export';
import type { EndpointAccess } from '$lib/server/access';
import { tenantContext, tenantOf } from '$lib/server/workspace';
import type { RequestHandler } from './$types';

export const _access = { GET: 'city.export' } satisfies EndpointAccess;

const kinds = {
	json: { type: 'application/json; charset=utf-8', make: exportCityJson },
	sqlite: { type: 'application/vnd.sqlite3', make: exportCitySqlite }
} as const;

export const GET: RequestHandler = async ({ locals, params }) => {
	const kind = kinds[params.format];
	const file = await kind.make({ ctx: tenantContext(locals), input: {} });
	const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
	const name = `mamori-${tenantOf(locals).slug}-${day}.${params.format}`;
	return new Response(file as BodyInit, {
		headers: { 'content-type': kind.type, 'content-disposition': `attachment; filename="${name}"` }
	});
};
