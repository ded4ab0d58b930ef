import { findMunicipalities, inviteTenantAdmin, setTenantStatus } from '@mamori/services';
import { formatDateTime } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { PageAccess } from '$lib/server/access';
import { sendMail } from '$lib/server/mail';
import { listOperatorTenants, subscribeTenant } from '$lib/server/operator';
import { coreContext, formAction } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'operator.console',
	actions: {
		create: 'operator.tenants',
		inviteAdmin: 'operator.tenants',
		suspend: 'operator.tenants',
		resume: 'operator.tenants'
	}
} satisfies PageAccess<typeof actions>;

async function sendAdminInvitation(
	event: Parameters<Actions[string]>[0],
	sent: { tenant: { name: string }; invitation: { email: string; token: string; expiresAt: Date } }
) {
	await sendMail(event, {
		to: sent.invitation.email,
		subject: 'mail_invite_subject',
		body: 'mail_invite_body',
		params: {
			city: sent.tenant.name,
			inviter: event.locals.principal?.displayName ?? '',
			role: m.role_admin({}, { locale: event.locals.locale }),
			url: `${event.url.origin}/invite/${sent.invitation.token}`,
			expires: formatDateTime(event.locals.locale, sent.invitation.expiresAt)
		}
	});
}

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const q = params.get('q')?.slice(0, 50) ?? '';
	const code = params.get('code') ?? '';
	const ctx = coreContext(event.locals);
	// The municipality is found by name, kana or code, then chosen (a link, so without JavaScript too).
	const [{ latestVersion, tenants, directory }, found, [chosen]] = await Promise.all([
		listOperatorTenants(event),
		q ? findMunicipalities({ ctx, input: { q } }) : [],
		/^\d{6}$/.test(code) ? findMunicipalities({ ctx, input: { q: code } }) : []
	]);
	return { latestVersion, tenants, directory, q, found: q ? found : null, chosen: chosen ?? null };
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
	suspend: (event) => tenantStatus(event, 'suspended'),
	resume: (event) => tenantStatus(event, 'active')
};

function tenantStatus(event: Parameters<Actions[string]>[0], status: 'active' | 'suspended') {
	return formAction(event, 'status', async (values) => {
		await setTenantStatus({ ctx: coreContext(event.locals), input: { tenantId: values.tenantId, status } });
	});
}
