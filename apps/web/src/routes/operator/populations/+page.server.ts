import {
	confirmPopulationImport,
	DEFAULT_SOURCE,
	listPopulationDates,
	POPULATION_UPLOAD,
	previewPopulationImport
} from '@mamori/services/population';
import type { PageAccess } from '$lib/server/access';
import { word } from '$lib/server/errors';
import { coreContext, formAction } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'operator.console',
	actions: { preview: 'operator.populations', confirm: 'operator.populations' }
} satisfies PageAccess<typeof actions>;

/** Bad rows shown on the page; the operator corrects them and uploads again, so the first ones suffice. */
const SHOWN_PROBLEMS = 100;

export const load: PageServerLoad = async ({ locals }) => ({
	held: await listPopulationDates({ ctx: coreContext(locals) }),
	defaultSource: DEFAULT_SOURCE
});

export const actions: Actions = {
	preview: (event) =>
		formAction(
			event,
			'preview',
			async (values) => {
				const preview = await previewPopulationImport({ ctx: coreContext(event.locals), input: values });
				if (preview.status === 'ready') return { preview };
				const { problems, ...rest } = preview;
				return {
					preview: {
						...rest,
						problemCount: problems.length,
						problems: problems
							.slice(0, SHOWN_PROBLEMS)
							.map((p) => ({ ...p, reason: word(event.locals.locale, p.reason) }))
					}
				};
			},
			{ upload: POPULATION_UPLOAD }
		),
	confirm: (event) =>
		formAction(event, 'confirm', (values) => confirmPopulationImport({ ctx: coreContext(event.locals), input: values }))
};
