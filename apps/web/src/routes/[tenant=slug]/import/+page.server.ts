import { confirmPlanImport, PLAN_SHEET_UPLOAD, previewPlanImport } from '@mamori/services/plan-sheet';
import type { PageAccess } from '$lib/server/access';
import { word } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.edit',
	actions: { preview: 'plan.edit', confirm: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

/** Problems shown on the page; the city corrects them and uploads again, so the first ones suffice. */
const SHOWN_PROBLEMS = 200;

// A department-limited editor may download the template but not import it (the service refuses).
export const load: PageServerLoad = ({ locals }) => ({ canImport: canEdit(locals, 'all') });

export const actions: Actions = {
	preview: (event) =>
		formAction(
			event,
			'preview',
			async (values) => {
				const preview = await previewPlanImport({ ctx: tenantContext(event.locals), input: values });
				if (preview.status === 'ready') return { preview };
				return {
					preview: {
						status: preview.status,
						problemCount: preview.problems.length,
						problems: preview.problems
							.slice(0, SHOWN_PROBLEMS)
							.map((p) => ({ ...p, reason: word(event.locals.locale, p.reason) }))
					}
				};
			},
			{ upload: PLAN_SHEET_UPLOAD }
		),
	// The payload may be as large as the sheet it came from: read as an upload, without a file.
	confirm: (event) =>
		formAction(event, 'confirm', (values) => confirmPlanImport({ ctx: tenantContext(event.locals), input: values }), {
			upload: PLAN_SHEET_UPLOAD
		})
};
