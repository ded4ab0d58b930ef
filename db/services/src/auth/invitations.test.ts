import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { changeDisplayName } from './account.ts';
import { acceptInvitation, INVITATION, readInvitation } from './invitations.ts';
import { changeMemberRole, inviteMember, listMembers, removeMember, revokeInvitation } from './members.ts';
import { coreContext } from '../context.ts';
import { InvalidError } from '../errors.ts';
import { PASSWORD_RESET, readPasswordReset, requestPasswordReset, resetPassword } from './password-reset.ts';
import { AccessDeniedError, type Principal } from './policy.ts';
import { validateSessionToken } from './session.ts';
import { signIn } from './sign-in.ts';

describe('invitations, members and password resets (real sqld)', () => {
	let world: AuthWorld;
	const principals: Record<string, Principal> = {};
	const as = async (email: string, password = PASSWORD) => {
		if (principals[email]) return principals[email];
		const result = await signIn({ core: world.core, input: { email, password } });
		if (!result.ok) throw new Error(`cannot sign in as ${email}`);
		return (principals[email] = (await validateSessionToken({ core: world.core, token: result.token }))!.principal);
	};
	beforeAll(async () => {
		world = await authWorld();
	});

	it('an admin invites a new person, who sets a name and password and becomes a member', async () => {
		const ctx = {
			...coreContext({ core: world.core, principal: await as('admin@meguro.example') }),
			tenant: world.tenant('meguro')
		};
		const invitation = await inviteMember({ ctx, input: { email: ' Sato@City.Meguro.Example ', role: 'editor' } });
		expect(invitation.email).toBe('sato@city.meguro.example');
		expect(invitation.token).toMatch(/^[a-km-z2-9]{24}\.[a-km-z2-9]{24}$/);
		expect(await readInvitation({ core: world.core, token: invitation.token })).toEqual({
			tenantSlug: 'meguro',
			tenantName: '目黒区',
			email: 'sato@city.meguro.example',
			role: 'editor',
			hasAccount: false
		});
		expect(
			await acceptInvitation({
				core: world.core,
				input: { token: invitation.token, password: 'password1', displayName: '佐藤' }
			})
		).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
		expect(
			await acceptInvitation({ core: world.core, input: { token: invitation.token, password: 'a good passphrase' } })
		).toEqual({ ok: false, reason: 'name_required' });
		// A name posing as a role or the service is refused (history shows the account, yet a name still shows).
		for (const displayName of ['目黒区 管理者', 'Mamori 運営', 'ＳＹＳＴＥＭ'])
			expect(
				await acceptInvitation({
					core: world.core,
					input: { token: invitation.token, password: 'a good passphrase', displayName }
				})
			).toEqual({ ok: false, reason: 'name_imitates' });
		const accepted = await acceptInvitation({
			core: world.core,
			input: { token: invitation.token, password: 'a good passphrase', displayName: '生活安全課 佐藤' }
		});
		expect(accepted).toMatchObject({ ok: true, tenantSlug: 'meguro' });
		// Single use.
		expect(await readInvitation({ core: world.core, token: invitation.token })).toBeNull();
		expect(
			await acceptInvitation({
				core: world.core,
				input: { token: invitation.token, password: 'a good passphrase', displayName: 'x' }
			})
		).toEqual({ ok: false, reason: 'invalid' });
		const me = await as('sato@city.meguro.example', 'a good passphrase');
		expect(me.memberships).toEqual([expect.objectContaining({ tenantSlug: 'meguro', role: 'editor' })]);
		const { members } = await listMembers({ ctx });
		expect(members.map((m) => m.email)).toContain('sato@city.meguro.example');
		// Nor can the name be changed to one afterwards.
		await expect(
			changeDisplayName({ core: world.core, input: { displayName: '目黒区　管理者' }, userId: me.userId })
		).rejects.toBeInstanceOf(InvalidError);
		expect(
			await changeDisplayName({ core: world.core, input: { displayName: '生活安全課 佐藤' }, userId: me.userId })
		).toEqual({ displayName: '生活安全課 佐藤' });
	});

	it('someone with an account accepts with their own password; the role is granted in that city', async () => {
		const ctx = {
			...coreContext({ core: world.core, principal: await as('admin@koganei.example') }),
			tenant: world.tenant('koganei')
		};
		const invitation = await inviteMember({ ctx, input: { email: 'viewer@meguro.example', role: 'viewer' } });
		expect((await readInvitation({ core: world.core, token: invitation.token }))?.hasAccount).toBe(true);
		expect(
			await acceptInvitation({ core: world.core, input: { token: invitation.token, password: 'not mine' } })
		).toEqual({
			ok: false,
			reason: 'wrong_password'
		});
		expect(
			await acceptInvitation({ core: world.core, input: { token: invitation.token, password: PASSWORD } })
		).toMatchObject({
			ok: true,
			tenantSlug: 'koganei'
		});
		const result = await signIn({ core: world.core, input: { email: 'viewer@meguro.example', password: PASSWORD } });
		const principal = (await validateSessionToken({ core: world.core, token: result.ok ? result.token : '' }))!
			.principal;
		expect(principal.memberships.map((m) => `${m.tenantSlug}:${m.role}`).sort()).toEqual([
			'koganei:viewer',
			'meguro:viewer'
		]);
	});

	it('invitations expire after seven days', async () => {
		const t0 = Date.UTC(2026, 5, 1);
		const ctx = {
			...coreContext({ core: world.core, principal: await as('admin@tomakomai.example'), now: () => t0 }),
			tenant: world.tenant('tomakomai')
		};
		const invitation = await inviteMember({ ctx, input: { email: 'late@tomakomai.example', role: 'viewer' } });
		expect(invitation.expiresAt.getTime()).toBe(t0 + INVITATION.lifetimeMs);
		expect(
			await readInvitation({ core: world.core, token: invitation.token, now: t0 + INVITATION.lifetimeMs - 1 })
		).not.toBeNull();
		expect(
			await readInvitation({ core: world.core, token: invitation.token, now: t0 + INVITATION.lifetimeMs })
		).toBeNull();
		expect(
			await acceptInvitation({
				core: world.core,
				input: { token: invitation.token, password: 'a good passphrase', displayName: '遅刻' },
				now: t0 + INVITATION.lifetimeMs
			})
		).toEqual({ ok: false, reason: 'invalid' });
	});

	it('only the city’s admins manage its members; the last admin stays', async () => {
		const meguro = world.tenant('meguro');
		for (const email of [
			'editor@meguro.example',
			'viewer@meguro.example',
			'admin@koganei.example',
			'official@tokyo.example',
			'operator@mamori.example'
		])
			await expect(
				inviteMember({
					ctx: { ...coreContext({ core: world.core, principal: await as(email) }), tenant: meguro },
					input: { email: 'x@y.example', role: 'admin' }
				})
			).rejects.toBeInstanceOf(AccessDeniedError);
		await expect(
			inviteMember({
				ctx: { ...coreContext({ core: world.core, principal: null }), tenant: meguro },
				input: { email: 'x@y.example', role: 'admin' }
			})
		).rejects.toBeInstanceOf(AccessDeniedError);

		const ctx = { ...coreContext({ core: world.core, principal: await as('admin@meguro.example') }), tenant: meguro };
		const adminId = await world.userId('admin@meguro.example');
		await expect(changeMemberRole({ ctx, input: { userId: adminId, role: 'viewer' } })).rejects.toMatchObject({
			issues: { form: { key: 'members_last_admin' } }
		});
		await expect(removeMember({ ctx, input: { userId: adminId } })).rejects.toBeInstanceOf(InvalidError);
		await expect(inviteMember({ ctx, input: { email: 'editor@meguro.example', role: 'admin' } })).rejects.toMatchObject(
			{
				issues: { email: { key: 'members_already_member' } }
			}
		);
		await expect(inviteMember({ ctx, input: { email: 'not an email', role: 'viewer' } })).rejects.toMatchObject({
			issues: { email: { key: 'field_email_invalid' } }
		});
		await expect(inviteMember({ ctx, input: { email: 'a@b.example', role: 'owner' } })).rejects.toMatchObject({
			issues: { role: { key: 'members_invalid_role' } }
		});

		// Limit an editor to one department, then take them out of the city.
		const editorId = await world.userId('editor@meguro.example');
		await changeMemberRole({ ctx, input: { userId: editorId, role: 'editor', departmentIds: ['d-safety'] } });
		await changeMemberRole({ ctx, input: { userId: editorId, role: 'editor' } }); // no new list: keeps the limit
		const { members, pending } = await listMembers({ ctx });
		expect(members.find((m) => m.userId === editorId)).toMatchObject({ role: 'editor', departmentIds: ['d-safety'] });
		const pendingInvite = await inviteMember({ ctx, input: { email: 'pending@meguro.example', role: 'viewer' } });
		expect((await listMembers({ ctx })).pending.length).toBe(pending.length + 1);
		await revokeInvitation({ ctx, input: { invitationId: pendingInvite.id } });
		expect(await readInvitation({ core: world.core, token: pendingInvite.token })).toBeNull();
		await removeMember({ ctx, input: { userId: editorId } });
		const result = await signIn({ core: world.core, input: { email: 'editor@meguro.example', password: PASSWORD } });
		const principal = (await validateSessionToken({ core: world.core, token: result.ok ? result.token : '' }))!
			.principal;
		expect(principal.memberships).toEqual([]);
	});

	it('password reset: same answer for unknown addresses, one hour, single use, signs out everywhere', async () => {
		const t0 = Date.UTC(2026, 6, 1, 9);
		expect(
			await requestPasswordReset({ core: world.core, input: { email: 'nobody@nowhere.example' }, now: t0 })
		).toBeNull();
		const email = 'viewer@tomakomai.example';
		const session = await signIn({ core: world.core, input: { email, password: PASSWORD }, now: t0 });
		const reset = await requestPasswordReset({
			core: world.core,
			input: { email: 'VIEWER@tomakomai.example' },
			now: t0
		});
		expect(reset?.email).toBe(email);
		// A second request within a minute sends nothing new.
		expect(await requestPasswordReset({ core: world.core, input: { email }, now: t0 + 1000 })).toBeNull();
		expect(
			await readPasswordReset({ core: world.core, token: reset!.token, now: t0 + PASSWORD_RESET.lifetimeMs })
		).toBeNull();
		expect(await readPasswordReset({ core: world.core, token: reset!.token, now: t0 + 60_000 })).toEqual({ email });
		expect(
			await resetPassword({ core: world.core, input: { token: reset!.token, password: '12345678' }, now: t0 + 60_000 })
		).toEqual({ ok: false, reason: 'weak_password', problem: 'common' });
		expect(
			await resetPassword({
				core: world.core,
				input: { token: reset!.token, password: 'brand new passphrase' },
				now: t0 + 60_000
			})
		).toMatchObject({ ok: true });
		expect(
			await resetPassword({
				core: world.core,
				input: { token: reset!.token, password: 'another passphrase' },
				now: t0 + 61_000
			})
		).toEqual({ ok: false, reason: 'invalid' });
		expect(
			await validateSessionToken({ core: world.core, token: session.ok ? session.token : '', now: t0 + 62_000 })
		).toBeNull();
		expect((await signIn({ core: world.core, input: { email, password: 'brand new passphrase' } })).ok).toBe(true);
		// A newer link replaces an older one.
		const first = await requestPasswordReset({ core: world.core, input: { email }, now: t0 + 10 * 60_000 });
		const second = await requestPasswordReset({ core: world.core, input: { email }, now: t0 + 12 * 60_000 });
		expect(await readPasswordReset({ core: world.core, token: first!.token, now: t0 + 13 * 60_000 })).toBeNull();
		expect(await readPasswordReset({ core: world.core, token: second!.token, now: t0 + 13 * 60_000 })).toEqual({
			email
		});
	});
});
