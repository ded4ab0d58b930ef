import type { LayoutAccess } from '$lib/server/access';
import type { LayoutServerLoad } from './$types';

export const _access = { load: 'public' } satisfies LayoutAccess;

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	user: locals.principal
		? {
				displayName: locals.principal.displayName,
				isOperator: locals.principal.isOperator,
				readsBenchmarks: locals.principal.isOperator || locals.principal.prefectures.length > 0
			}
		: null
});
