import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance={keepValues}` on an edit form: after the answer, the fields show the page's values
 * (saved, or typed and refused) instead of being reset to what they held when the page loaded.
 */
export const keepValues: SubmitFunction =
	() =>
	({ update }) =>
		update({ reset: false });
