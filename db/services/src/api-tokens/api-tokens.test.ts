import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '@mamori/db/core';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { coreContext } from '../context.ts';
import { AccessDeniedError, InvalidError, NotFoundError } from '../errors.ts';
import { can, type Principal } from '../auth/policy.ts';
import { validateSessionToken } from '../auth/session.ts';
import { signIn } from '../auth/sign-in.ts';
import { readRequestContext } from '../request.ts';
import { API_TOKEN, authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('API tokens (real sqld)', () => {
	let world: AuthWorld;
	const principals = new Map<string, Principal>();
	const as = async (email: string): Promise<Principal> => {
		const known = principals.get(email);
		if (known) return known;
		const result = await signIn({ core: world.core, input: { email, password: PASSWORD } });
		if (!result.ok) throw new Error(`cannot sign in as ${email}`);
		const principal = (await validateSessionToken({ core: world.core, token: result.token }))!.principal;
		principals.set(email, principal);
		return principal;
	};
	const ctxOf = async (email: string, slug: 'meguro' | 'koganei' = 'meguro', now = Date.now()) => ({
		...coreContext({ core: world.core, principal: await as(email), now: () => now }),
		tenant: world.tenant(slug)
	});
	beforeAll(async () => {
		world = await authWorld();
	});

	it('shows the secret once, stores only its hash, and the token reads its city as a viewer', async () => {
		const ctx = await ctxOf('admin@meguro.example');
		const created = await createApiToken({
			ctx,
			input: { name: ' 区のウェブサイト ', scope: 'read', lifetimeDays: '90', departmentIds: ['ignored'] }
		});
		expect(created.token).toMatch(/^mamori_[a-km-z2-9]{24}\.[a-km-z2-9]{24}$/);
		expect(created).toMatchObject({ name: '区のウェブサイト', scope: 'read', departmentIds: null });
		const [row] = await world.core.select().from(apiTokens).where(eq(apiTokens.id, created.id));
		expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(row)).not.toContain(created.token.split('.')[1]);
		expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(90 * DAY);
		expect(row!.createdBy).toBe(await world.userId('admin@meguro.example'));

		const listed = await listApiTokens({ ctx });
		expect(listed.find((t) => t.id === created.id)).toMatchObject({ state: 'active', lastUsedAt: null });
		expect(JSON.stringify(listed)).not.toContain('secretHash');

		const valid = await authenticateApiToken({ core: world.core, token: created.token });
		expect(valid).toMatchObject({ tenantSlug: 'meguro', scope: 'read', departmentIds: null });
		const tenant = world.tenant('meguro');
		expect(can(valid!.principal, 'plan.read', { tenant })).toBe(true);
		expect(can(valid!.principal, 'plan.edit', { tenant })).toBe(false);
		expect(can(valid!.principal, 'plan.read', { tenant: world.tenant('koganei') })).toBe(false);
		expect(can(valid!.principal, 'session')).toBe(false);
		expect(can(valid!.principal, 'members.manage', { tenant })).toBe(false);
	});

	it('a write token edits as an editor; its last use is written at most once a minute', async () => {
		const now = Date.now();
		const ctx = await ctxOf('admin@meguro.example', 'meguro', now);
		const { token, id } = await createApiToken({ ctx, input: { name: 'w', scope: 'write', lifetimeDays: 30 } });
		const lastUsed = async () =>
			(await world.core.select({ at: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id)))[0]!.at;
		const first = await authenticateApiToken({ core: world.core, token, now });
		expect(can(first!.principal, 'plan.edit', { tenant: world.tenant('meguro'), departments: 'all' })).toBe(true);
		expect((await lastUsed())?.getTime()).toBe(now);
		await authenticateApiToken({ core: world.core, token, now: now + API_TOKEN.lastUseIntervalMs - 1 });
		expect((await lastUsed())?.getTime()).toBe(now);
		await authenticateApiToken({ core: world.core, token, now: now + API_TOKEN.lastUseIntervalMs });
		expect((await lastUsed())?.getTime()).toBe(now + API_TOKEN.lastUseIntervalMs);
		// The API reads it in the request's one core batch, with the city.
		const request = await readRequestContext({ core: world.core, token, slug: 'meguro', apiTokens: true, now });
		expect(request.apiToken?.id).toBe(id);
		expect(request.tenant?.slug).toBe('meguro');
		expect(request.session).toBeNull();
		// The web app never takes one for a session.
		expect((await readRequestContext({ core: world.core, token, slug: 'meguro', now })).apiToken).toBeNull();
	});

	it('refuses a wrong secret, a session token, an expired and a revoked token', async () => {
		const now = Date.now();
		const ctx = await ctxOf('admin@meguro.example', 'meguro', now);
		const { token, id } = await createApiToken({ ctx, input: { name: 'r', scope: 'read', lifetimeDays: 30 } });
		const [head] = token.split('.');
		const auth = (t: string, at = now) => authenticateApiToken({ core: world.core, token: t, now: at });
		expect(await auth(`${head}.${'a'.repeat(24)}`)).toBeNull();
		expect(await auth(token.slice(API_TOKEN.prefix.length))).toBeNull();
		expect(await auth(token, now + 30 * DAY)).toBeNull();
		expect(await auth(token)).not.toBeNull();
		await revokeApiToken({ ctx, input: { tokenId: id } });
		await revokeApiToken({ ctx, input: { tokenId: id } }); // twice: nothing more
		expect(await auth(token)).toBeNull();
		expect((await listApiTokens({ ctx })).find((t) => t.id === id)?.state).toBe('revoked');
	});

	it('only the city admin manages tokens, only the city’s own, with valid input', async () => {
		const admin = await ctxOf('admin@meguro.example');
		const { id } = await createApiToken({ ctx: admin, input: { name: 'x', scope: 'read', lifetimeDays: 30 } });
		const editor = await ctxOf('editor@meguro.example');
		await expect(listApiTokens({ ctx: editor })).rejects.toBeInstanceOf(AccessDeniedError);
		await expect(
			createApiToken({ ctx: editor, input: { name: 'x', scope: 'read', lifetimeDays: 30 } })
		).rejects.toBeInstanceOf(AccessDeniedError);
		const koganei = await ctxOf('admin@koganei.example', 'koganei');
		await expect(revokeApiToken({ ctx: koganei, input: { tokenId: id } })).rejects.toBeInstanceOf(NotFoundError);
		expect((await listApiTokens({ ctx: koganei })).map((t) => t.id)).not.toContain(id);

		const refused = await createApiToken({ ctx: admin, input: { name: ' ', scope: 'all', lifetimeDays: 7 } }).catch(
			(e: unknown) => e
		);
		expect(refused).toBeInstanceOf(InvalidError);
		expect(Object.keys((refused as InvalidError).issues).sort()).toEqual(['lifetimeDays', 'name', 'scope']);
		// A department limit names the city's live departments, checked in its database (none here).
		await expect(
			createApiToken({ ctx: admin, input: { name: 'd', scope: 'write', lifetimeDays: 30, departmentIds: ['nope'] } })
		).rejects.toBeInstanceOf(InvalidError);
	});
});
