import { openTenant } from '@mamori/db';
import { directoryFromEnv } from '@mamori/db/directory';
import { createTenant, inviteTenantAdmin, listTenantsWithStatus, setTenantStatus } from '@mamori/services';
import { formatDateTime } from '$lib/format';
import { translate } from '$lib/i18n';
import type { PageAccess } from '$lib/server/access';
import { failure } from '$lib/server/errors';
import { sendMail } from '$lib/server/mail';
import { coreContext } from '$lib/server/workspace';
import { platformEnv } from '$lib/server/platform';
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
			role: translate(event.locals.locale, 'role_admin'),
			url: `${event.url.origin}/invite/${sent.invitation.token}`,
			expires: formatDateTime(event.locals.locale, sent.invitation.expiresAt)
		}
	});
}

export const load: PageServerLoad = async ({ locals, platform }) => {
	const env = platformEnv(platform);
	const { latestVersion, tenants } = await listTenantsWithStatus({
		ctx: coreContext(locals),
		open: (t) => openTenant({ url: t.databaseUrl, authToken: env.TENANT_DATABASE_AUTH_TOKEN }).$client
	});
	return { latestVersion, tenants, directory: env.MAMORI_DB ?? 'sqld' };
};

export const actions: Actions = {
	create: async (event) => {
		const data = await event.request.formData();
		const values = {
			municipalityCode: String(data.get('municipalityCode') ?? ''),
			slug: String(data.get('slug') ?? ''),
			adminEmail: String(data.get('adminEmail') ?? '')
		};
		const env = platformEnv(event.platform);
		let created: Awaited<ReturnType<typeof createTenant>>;
		try {
			created = await createTenant({ ctx: coreContext(event.locals), directory: directoryFromEnv(env), input: values });
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
