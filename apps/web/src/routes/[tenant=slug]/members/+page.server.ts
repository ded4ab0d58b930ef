import { changeMemberRole, inviteMember, listMembers, removeMember, revokeInvitation } from '@mamori/services/auth';
import { listDepartments } from '@mamori/services';
import { formatDateTime } from '$lib/format';
import type { PageAccess } from '$lib/server/access';
import { translate } from '$lib/server/i18n';
import { loading } from '$lib/server/errors';
import { sendMail } from '$lib/server/mail';
import { formAction, membersContext, tenantContext } from '$lib/server/workspace';
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

export const load: PageServerLoad = ({ locals }) =>
	loading(locals, async () => {
		const [{ members, pending }, departments] = await Promise.all([
			listMembers({ ctx: membersContext(locals) }),
			listDepartments({ ctx: tenantContext(locals) })
		]);
		return {
			members,
			pending,
			departments: departments.map((d) => ({ id: d.id, name: d.name })),
			me: locals.principal?.userId ?? null
		};
	});

export const actions: Actions = {
	invite: async (event) => {
		const result = await formAction(
			event,
			'invite',
			async (values) => ({ invitation: await inviteMember({ ctx: membersContext(event.locals), input: values }) }),
			{ lists: ['departmentIds'] }
		);
		if (!('invitation' in result)) return result;
		const { invitation, ...answer } = result;
		const tenant = event.locals.tenant!;
		await sendMail(event, {
			to: invitation.email,
			subject: 'mail_invite_subject',
			body: 'mail_invite_body',
			params: {
				city: `${tenant.prefectureName} ${tenant.name}`,
				inviter: event.locals.principal?.displayName ?? '',
				role: translate(event.locals.locale, `role_${invitation.role}`),
				url: `${event.url.origin}/invite/${invitation.token}`,
				expires: formatDateTime(event.locals.locale, invitation.expiresAt)
			}
		});
		return { ...answer, invited: invitation.email };
	},
	changeRole: (event) =>
		formAction(
			event,
			(values) => `member-${String(values.userId ?? '')}`,
			async (values) => {
				// No box ticked: the editor edits every department (see changeMemberRole).
				await changeMemberRole({ ctx: membersContext(event.locals), input: values });
			},
			{ lists: ['departmentIds'] }
		),
	remove: (event) =>
		formAction(event, 'member', async (values) => {
			await removeMember({ ctx: membersContext(event.locals), input: values });
		}),
	revokeInvitation: (event) =>
		formAction(event, 'pending', async (values) => {
			await revokeInvitation({ ctx: membersContext(event.locals), input: values });
		})
};
