import { readPublishedPlan } from '@mamori/services/resident';
import type { PageAccess } from '$lib/server/access';
import { loading } from '$lib/server/errors';
import { tenantContext, tenantOf } from '$lib/server/workspace';
import type { PageServerLoad } from './$types';

// A city's page for its residents: anyone may read it once the city's admin has opened it (the
// authoriser answers a closed one, or a suspended city, exactly as a city that does not exist).
export const _access = { load: 'plan.public' } satisfies PageAccess;

// Read-only and the same for every reader: the server renders it whole, and no script is sent.
export const csr = false;

/**
 * A reader's browser may keep it this long (a page its admin has just closed may show that long).
 * Private, not public: adapter-cloudflare puts a public answer in the edge cache, which ignores
 * `Vary: Cookie` (the language) and would keep serving a page its admin has closed.
 */
const MAX_AGE = 60;

export const load: PageServerLoad = ({ locals, url, setHeaders }) =>
	loading(locals, async () => {
		const tenant = tenantOf(locals);
		const published = await readPublishedPlan({
			ctx: tenantContext(locals),
			input: { fiscalYear: url.searchParams.get('year') ?? undefined }
		});
		// The language comes from ?lang= (which also sets the `lang` cookie) or that cookie; a signed-in
		// reader's answer is never stored (headers.ts decides that).
		setHeaders({
			'cache-control': url.searchParams.has('lang') ? 'private, no-cache' : `private, max-age=${MAX_AGE}`,
			vary: 'cookie'
		});
		return {
			city: { slug: tenant.slug, name: tenant.name, prefectureName: tenant.prefectureName },
			address: `${url.origin}${url.pathname}`,
			...published,
			// Only the year shown: the page lists what was done in it, not every published year's records.
			initiatives: published.initiatives.map(({ records, ...i }) => ({
				...i,
				records: records.filter((r) => r.fiscalYear === published.fiscalYear)
			}))
		};
	});
