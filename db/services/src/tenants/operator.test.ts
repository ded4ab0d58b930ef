import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { authWorld, PASSWORD, type AuthWorld } from '../../test/auth-world.ts';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { openTenant } from '@mamori/db';
import { tenants } from '@mamori/db/core';
import { acceptInvitation, AccessDeniedError, signIn, validateSessionToken, type Principal } from '../auth/index.ts';
import { plans } from '@mamori/db/tenant';
import {
	createTenant,
	findMunicipalities,
	inviteTenantAdmin,
	LATEST_TENANT_VERSION,
	listTenantsWithStatus,
	probeTenantDatabase,
	setTenantStatus
} from './operator.ts';
import { coreContext } from '../context.ts';
import { InvalidError } from '../errors.ts';
import { worded } from '../../test/words.ts';

describe('operator console services (real sqld)', () => {
	let world: AuthWorld;
	let operator: Principal;
	const directory = sqldDirectory();
	const open = (t: { databaseUrl: string }) => openTenant({ url: t.databaseUrl }).$client;

	beforeAll(async () => {
		world = await authWorld();
		const result = await signIn({ core: world.core, input: { email: 'operator@mamori.example', password: PASSWORD } });
		operator = (await validateSessionToken({ core: world.core, token: result.ok ? result.token : '' }))!.principal;
	});

	it('finds a municipality by name, kana (hiragana or katakana, any width) or code, saying which are subscribed', async () => {
		const ctx = coreContext({ core: world.core, principal: operator });
		const names = async (q: string) => (await findMunicipalities({ ctx, input: { q } })).map((c) => c.name);
		expect(await names('八王子')).toEqual(['八王子市']);
		expect(await names('はちおうじ')).toEqual(['八王子市']);
		expect(await names('ハチオウジ')).toEqual(['八王子市']);
		expect(await names('１３２０１２')).toEqual(['八王子市']);
		expect(await names('100%')).toEqual([]);
		expect(await names('')).toEqual([]);
		const [meguro] = await findMunicipalities({ ctx, input: { q: 'めぐろ' } });
		expect(meguro).toMatchObject({
			code: '131105',
			prefectureName: '東京都',
			subscribedAs: 'meguro',
			suggestedSlug: 'meguro'
		});
		const [hachioji] = await findMunicipalities({ ctx, input: { q: '八王子' } });
		expect(hachioji).toMatchObject({ suggestedSlug: 'hachioji' });
	});

	it('subscribes a city from the municipality master: database provisioned, migrated, first admin invited', async () => {
		const slug = uniqueName('hachioji');
		const created = await createTenant({
			ctx: coreContext({ core: world.core, principal: operator }),
			directory,
			input: { municipalityCode: '132012', slug, adminEmail: 'Admin@Hachioji.example' }
		});
		expect(created.tenant).toMatchObject({ slug, name: '八王子市' });
		expect(created.invitation.email).toBe('admin@hachioji.example');
		const [row] = await world.core.select().from(tenants).where(eq(tenants.slug, slug));
		expect(row).toMatchObject({
			status: 'active',
			schemaVersion: LATEST_TENANT_VERSION,
			databaseName: `tenant-${slug}`
		});
		const db = openTenant({ url: row!.databaseUrl });
		expect(await db.select().from(plans)).toEqual([]); // migrated and empty
		db.$client.close();
		const accepted = await acceptInvitation({
			core: world.core,
			input: {
				token: created.invitation.token,
				password: '八王子の防犯をみんなで守る会',
				displayName: '八王子市 防犯担当 佐藤'
			}
		});
		expect(accepted).toMatchObject({ ok: true, tenantSlug: slug });

		const ctx = coreContext({ core: world.core, principal: operator });
		// The list reads what was recorded at migration, probing nothing.
		const listed = await listTenantsWithStatus({ ctx, input: { q: 'はちおうじ' } });
		expect(listed.tenants.map((t) => t.slug)).toEqual([slug]);
		expect(listed.tenants[0]).toMatchObject({
			recordedStatus: 'ok',
			recordedVersion: LATEST_TENANT_VERSION,
			name: '八王子市'
		});
		const all = await listTenantsWithStatus({ ctx, input: {} });
		expect(all.total).toBe(all.byStatus.ok + all.byStatus.behind + all.byStatus.failed);
		expect(all.matching).toBe(all.total);
		const behind = await listTenantsWithStatus({ ctx, input: { state: 'behind' } });
		expect(behind.tenants.every((t) => t.recordedStatus === 'behind')).toBe(true);
		expect(behind.matching).toBe(all.byStatus.behind);
		// Probing is on request: the new city answers; the seed cities of this test world point nowhere (reported, not thrown).
		expect(await probeTenantDatabase({ ctx, open, input: { tenantId: listed.tenants[0]!.id } })).toMatchObject({
			status: 'ok',
			version: LATEST_TENANT_VERSION
		});
		const meguro = (await listTenantsWithStatus({ ctx, input: { q: 'meguro' } })).tenants[0]!;
		expect(await probeTenantDatabase({ ctx, open, input: { tenantId: meguro.id }, timeoutMs: 2000 })).toMatchObject({
			status: 'unreachable'
		});
	});

	it('refuses a taken city or slug, a reserved slug, a bad code and a bad address, in Japanese, before provisioning', async () => {
		const attempt = (input: { municipalityCode: string; slug: string; adminEmail: string }) =>
			createTenant({ ctx: coreContext({ core: world.core, principal: operator }), directory, input }).catch(
				(e: unknown) => e
			);
		const taken = (await attempt({
			municipalityCode: '131105',
			slug: 'meguro',
			adminEmail: 'a@b.example'
		})) as InvalidError;
		expect(taken).toBeInstanceOf(InvalidError);
		expect(worded(taken.issues)).toEqual({
			municipalityCode: 'この自治体はすでに参加しています。',
			slug: 'この名前はほかの自治体が使っています。別の名前にしてください。'
		});
		const bad = (await attempt({ municipalityCode: '131106', slug: 'login', adminEmail: 'nope' })) as InvalidError;
		expect(worded(bad.issues)).toEqual({
			municipalityCode: '団体コードの検査数字が正しくありません。',
			slug: 'この名前はシステムが使っているため使えません。別の名前にしてください。',
			adminEmail: 'メールアドレスの形式が正しくありません。'
		});
	});

	it('invites another admin when the first invitation went unused', async () => {
		const { invitation, tenant } = await inviteTenantAdmin({
			ctx: coreContext({ core: world.core, principal: operator }),
			input: { tenantId: world.tenantIds.tomakomai, adminEmail: 'Second.Admin@tomakomai.example' }
		});
		expect(tenant.name).toBe('苫小牧市');
		expect(invitation.email).toBe('second.admin@tomakomai.example');
		await expect(
			inviteTenantAdmin({
				ctx: coreContext({ core: world.core, principal: operator }),
				input: { tenantId: world.tenantIds.tomakomai, adminEmail: 'x' }
			})
		).rejects.toBeInstanceOf(InvalidError);
	});

	it('suspends and resumes; only operators may', async () => {
		const meguro = world.tenantIds.meguro;
		await setTenantStatus({
			ctx: coreContext({ core: world.core, principal: operator }),
			input: { tenantId: meguro, status: 'suspended' }
		});
		expect((await world.core.select().from(tenants).where(eq(tenants.id, meguro)))[0]!.status).toBe('suspended');
		await setTenantStatus({
			ctx: coreContext({ core: world.core, principal: operator }),
			input: { tenantId: meguro, status: 'active' }
		});
		const result = await signIn({ core: world.core, input: { email: 'admin@meguro.example', password: PASSWORD } });
		const admin = (await validateSessionToken({ core: world.core, token: result.ok ? result.token : '' }))!.principal;
		await expect(
			setTenantStatus({
				ctx: coreContext({ core: world.core, principal: admin }),
				input: { tenantId: meguro, status: 'suspended' }
			})
		).rejects.toBeInstanceOf(AccessDeniedError);
		await expect(
			createTenant({
				ctx: coreContext({ core: world.core, principal: admin }),
				directory,
				input: { municipalityCode: '132012', slug: 'x', adminEmail: 'a@b.example' }
			})
		).rejects.toBeInstanceOf(AccessDeniedError);
		await expect(
			listTenantsWithStatus({ ctx: coreContext({ core: world.core, principal: null }), input: {} })
		).rejects.toBeInstanceOf(AccessDeniedError);
	});
});
