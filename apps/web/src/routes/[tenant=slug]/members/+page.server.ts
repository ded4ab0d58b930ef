import {
	AccessDeniedError,
	changeMemberRole,
	inviteMember,
	listMembers,
	MemberError,
	removeMember,
	revokeInvitation,
	type MembersContext
} from '@mamori/services/auth';
import { listDepartments } from '@mamori/services';
import { error, fail } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { PageAccess } from '$lib/server/access';
import { translate } from '$lib/server/i18n';
import { sendMail } from '$lib/server/mail';
import { tenantContext } from '$lib/server/workspace';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'members.manage',
	actions: {
		invite: 'members.manage',
		changeRole: 'members.manage',
		remove: 'members.manage',
		revokeInvitation: 'members.manage'
	}
} satisfies PageAccess<typeof actions>;

function membersContext(locals: App.Locals): MembersContext {
	if (!locals.tenant) error(404, { message: m.error_not_found({}, { locale: locals.locale }) });
	return { core: locals.core, principal: locals.principal, tenant: locals.tenant };
}

/** Runs a change of the member list; a refused change becomes the form's message. */
async function change(form: string, run: () => Promise<unknown>, values: Record<string, string> = {}) {
	try {
		await run();
		return { form, saved: true };
	} catch (e) {
		if (e instanceof MemberError) return fail(400, { form, problem: e.problem, values });
		if (e instanceof AccessDeniedError) error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
		throw e;
	}
}

export const load: PageServerLoad = async ({ locals }) => {
	const [{ members, pending }, departments] = await Promise.all([
		listMembers(membersContext(locals)),
		listDepartments({ ctx: tenantContext(locals) })
	]);
	return {
		members,
		pending,
		departments: departments.map((d) => ({ id: d.id, name: d.name })),
		me: locals.principal?.userId ?? null
	};
};

export const actions: Actions = {
	invite: async (event) => {
		const data = await event.request.formData();
		const values = { email: String(data.get('email') ?? ''), role: String(data.get('role') ?? '') };
		let invitation: Awaited<ReturnType<typeof inviteMember>> | undefined;
		const result = await change(
			'invite',
			async () => {
				invitation = await inviteMember(membersContext(event.locals), {
					...values,
					departmentIds: data.getAll('departmentIds').map(String)
				});
			},
			values
		);
		if (!invitation) return result;
		const tenant = event.locals.tenant!;
		await sendMail(event, {
			to: invitation.email,
			subject: 'mail_invite_subject',
			body: 'mail_invite_body',
			params: {
				city: `${tenant.prefectureName} ${tenant.name}`,
				inviter: event.locals.principal?.displayName ?? '',
				role: translate(event.locals.locale, `role_${values.role as 'admin' | 'editor' | 'viewer'}`),
				url: `${event.url.origin}/invite/${invitation.token}`,
				expires: formatDateTime(event.locals.locale, invitation.expiresAt)
			}
		});
		return { form: 'invite', saved: true, invited: invitation.email };
	},
	changeRole: async ({ locals, request }) => {
		const data = await request.formData();
		return change('member', () =>
			changeMemberRole(membersContext(locals), {
				userId: String(data.get('userId') ?? ''),
				role: String(data.get('role') ?? ''),
				departmentIds: data.has('departmentIds') ? data.getAll('departmentIds').map(String) : undefined
			})
		);
	},
	remove: async ({ locals, request }) => {
		const userId = String((await request.formData()).get('userId') ?? '');
		return change('member', () => removeMember(membersContext(locals), { userId }));
	},
	revokeInvitation: async ({ locals, request }) => {
		const invitationId = String((await request.formData()).get('invitationId') ?? '');
		return change('pending', () => revokeInvitation(membersContext(locals), { invitationId }));
	}
};
