import { findMunicipalities, inviteTenantAdmin, setTenantStatus } from '@mamori/services';
import type { PageAccess } from '$lib/server/access';
import { sendAdminInvitation } from '$lib/server/mail';
import { listOperatorTenants, probeCity, subscribeTenant } from '$lib/server/operator';
import { coreContext, formAction } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'operator.console',
	actions: {
		create: 'operator.tenants',
		inviteAdmin: 'operator.tenants',
		suspend: 'operator.tenants',
		resume: 'operator.tenants',
		probe: 'operator.console'
	}
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const q = params.get('q')?.slice(0, 50) ?? '';
	const code = params.get('code') ?? '';
	const ctx = coreContext(event.locals);
	// The municipality is found by name, kana or code, then chosen (a link, so without JavaScript too).
	// Side by side: one round trip after the session.
	const [list, found, [chosen]] = await Promise.all([
		listOperatorTenants(event, params),
		q ? findMunicipalities({ ctx, input: { q } }) : [],
		/^\d{6}$/.test(code) ? findMunicipalities({ ctx, input: { q: code } }) : []
	]);
	return { list, q, found: q ? found : null, chosen: chosen ?? null };
};

export const actions: Actions = {
	create: (event) =>
		formAction(event, 'create', async (values) => {
			const created = await subscribeTenant(event, values);
			await sendAdminInvitation(event, created);
			return { created: { slug: created.tenant.slug, name: created.tenant.name } };
		}),
	inviteAdmin: (event) =>
		formAction(
			event,
			(values) => `invite-${String(values.tenantId)}`,
			async (values) => {
				const invited = await inviteTenantAdmin({ ctx: coreContext(event.locals), input: values });
				await sendAdminInvitation(event, invited);
				return { invited: invited.invitation.email };
			}
		),
	probe: (event) => formAction(event, 'probe', async (values) => ({ probed: await probeCity(event, values) })),
	suspend: (event) => tenantStatus(event, 'suspended'),
	resume: (event) => tenantStatus(event, 'active')
};

function tenantStatus(event: Parameters<Actions[string]>[0], status: 'active' | 'suspended') {
	return formAction(event, 'status', async (values) => {
		await setTenantStatus({ ctx: coreContext(event.locals), input: { tenantId: values.tenantId, status } });
	});
}
