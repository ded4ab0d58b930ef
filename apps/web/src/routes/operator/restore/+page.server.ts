import { listRestores, RESTORE_UPLOAD } from '@mamori/services/export';
import type { PageAccess } from '$lib/server/access';
import { restoreCity } from '$lib/server/operator';
import { sendAdminInvitation } from '$lib/server/mail';
import { coreContext, formAction } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = { load: 'operator.restore', actions: { restore: 'operator.restore' } } satisfies PageAccess<
	typeof actions
>;

export const load: PageServerLoad = async ({ locals }) => ({
	restores: await listRestores({ ctx: coreContext(locals) })
});

export const actions: Actions = {
	restore: (event) =>
		formAction(
			event,
			'restore',
			async (values) => {
				const restored = await restoreCity(event, values);
				await sendAdminInvitation(event, restored);
				return { restored: { ...restored.tenant, rows: restored.rows } };
			},
			{ upload: RESTORE_UPLOAD }
		)
};
