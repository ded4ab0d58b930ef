// The baseline of `npm run bench`: a page that reads the database once (a city's directory row)
// and answers a trivial template, so the bench can say what a page costs beyond one round trip.
// Served only where MAMORI_BENCH = "1" (the bench's stack); anywhere else the same 404 as a page
// that does not exist.
import { findTenantBySlug } from '@mamori/services';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { EndpointAccess } from '$lib/server/access';
import type { RequestHandler } from './$types';

export const _access = { GET: 'public' } satisfies EndpointAccess;

export const GET: RequestHandler = async ({ locals, platform, url }) => {
	if (platform?.env.MAMORI_BENCH !== '1') error(404, { message: m.error_not_found() });
	const tenant = await findTenantBySlug({ core: locals.core, slug: url.searchParams.get('slug') ?? 'meguro' });
	const body = `<!doctype html><html lang="ja"><meta charset="utf-8"><title>baseline</title><p>${tenant ? tenant.id.length : 0}</p></html>`;
	return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
};
