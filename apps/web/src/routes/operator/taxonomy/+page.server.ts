import { listTaxonomyVersions } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import { previewTaxonomy, publishTaxonomy } from '$lib/server/operator';
import { coreContext, formAction } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'operator.console',
	actions: { publish: 'operator.taxonomy' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async (event) => {
	const listed = await listTaxonomyVersions({ ctx: coreContext(event.locals) });
	// The draft's changes, city by city, before anything is written; publishing is confirmed on
	// a page of its own (?confirm=), so without JavaScript too.
	const preview = listed.next === null ? null : await previewTaxonomy(event, { version: listed.next });
	const confirm = preview !== null && event.url.searchParams.get('confirm') === String(preview.version);
	return { ...listed, preview, confirm };
};

export const actions: Actions = {
	publish: (event) =>
		formAction(event, 'publish', async (values) => {
			const { version, published, cities } = await publishTaxonomy(event, values);
			return { version, published, cities: cities.map(({ moves: _moves, ...city }) => city) };
		})
};
