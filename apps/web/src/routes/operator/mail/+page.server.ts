import { listOutbox } from '@mamori/services/mail';
import type { PageAccess } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const _access = { load: 'operator.console' } satisfies PageAccess;

export const load: PageServerLoad = async ({ locals }) => ({
	mails: await listOutbox({ core: locals.core, principal: locals.principal })
});
