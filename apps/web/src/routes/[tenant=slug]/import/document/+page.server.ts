import { confirmDocumentImport, PLAN_DOCUMENT_UPLOAD, previewDocumentImport } from '@mamori/services/plan-document';
import type { PageAccess } from '$lib/server/access';
import { loading, word } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.edit',
	actions: { preview: 'plan.edit', confirm: 'plan.edit' }
} satisfies PageAccess<typeof actions>;

// A department-limited editor may not import a whole plan (the service refuses too).
export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const shared = await tenantContext(locals).shared();
		return { canImport: canEdit(locals, 'all'), categories: shared.taxonomy.categories };
	});

type Preview = Awaited<ReturnType<typeof previewDocumentImport>>;
const worded = (locale: App.Locals['locale'], preview: Preview) => ({
	...preview,
	problems: preview.problems.map((p) => ({ line: p.line, reason: word(locale, p.reason) }))
});

export const actions: Actions = {
	preview: (event) =>
		formAction(
			event,
			'preview',
			async (values) => ({
				preview: worded(
					event.locals.locale,
					await previewDocumentImport({ ctx: tenantContext(event.locals), input: values })
				)
			}),
			{ upload: PLAN_DOCUMENT_UPLOAD }
		),
	// The corrected preview carries the whole text back: read as an upload (its limit), without a file.
	confirm: (event) =>
		formAction(
			event,
			'confirm',
			async (values) => {
				const result = await confirmDocumentImport({ ctx: tenantContext(event.locals), input: values });
				if (result.status === 'imported') return { imported: result.counts };
				return { preview: worded(event.locals.locale, result.preview) };
			},
			{ upload: PLAN_DOCUMENT_UPLOAD }
		)
};
