import { inviteTenantAdmin, setTenantStatus } from '@mamori/services';
import { formatDateTime } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { PageAccess } from '$lib/server/access';
import { failure } from '$lib/server/errors';
import { sendMail } from '$lib/server/mail';
import { listOperatorTenants, subscribeTenant } from '$lib/server/operator';
import { coreContext } from '$lib/server/workspace';
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
	const { latestVersion, tenants, directory } = await listOperatorTenants(event);
	return { latestVersion, tenants, directory };
};

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const values = {
			municipalityCode: String(data.get('municipalityCode') ?? ''),
			slug: String(data.get('slug') ?? ''),
			adminEmail: String(data.get('adminEmail') ?? '')
		};
		let created: Awaited<ReturnType<typeof subscribeTenant>>;
		try {
			created = await subscribeTenant(event, values);
		} catch (e) {
			return failure(event.locals, e, { form: 'create', values });
		}
		await sendAdminInvitation(event, created);
		return { form: 'create', created: { slug: created.tenant.slug, name: created.tenant.name } };
	},
	inviteAdmin: async (event) => {
		const data = await event.request.formData();
		const tenantId = String(data.get('tenantId') ?? '');
		const values = { adminEmail: String(data.get('adminEmail') ?? '') };
		let invited: Awaited<ReturnType<typeof inviteTenantAdmin>>;
		try {
			invited = await inviteTenantAdmin({ ctx: coreContext(event.locals), input: { tenantId, ...values } });
		} catch (e) {
			return failure(event.locals, e, { form: `invite-${tenantId}`, values });
		}
		await sendAdminInvitation(event, invited);
		return { form: `invite-${tenantId}`, invited: invited.invitation.email };
	},
	suspend: async ({ locals, request }) => {
		const tenantId = String((await request.formData()).get('tenantId') ?? '');
		await setTenantStatus({ ctx: coreContext(locals), input: { tenantId, status: 'suspended' } });
		return { form: 'status', saved: true };
	},
	resume: async ({ locals, request }) => {
		const tenantId = String((await request.formData()).get('tenantId') ?? '');
		await setTenantStatus({ ctx: coreContext(locals), input: { tenantId, status: 'active' } });
		return { form: 'status', saved: true };
	}
};
