import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { embeddedDirectory, sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { seedsDir } from '../../test/seeded.ts';
import { openCore, openTenant } from '@mamori/db';
import { departments } from '@mamori/db/tenant';
import { users } from '@mamori/db/core';
import { signIn, validateSessionToken } from '../auth/index.ts';
import { demoAccounts, demoPassword, seedDemoAccounts } from './demo-accounts.ts';
import { migrateCore } from '@mamori/db/node';
import { seedAll } from './seed.ts';

describe('demo accounts (local seed only)', () => {
	it('lists the accounts the issue names, with MAMORI_DEMO_PASSWORD or mamori-demo', () => {
		expect(demoAccounts.map((a) => a.email)).toEqual([
			'admin@meguro.example',
			'editor@meguro.example',
			'viewer@meguro.example',
			'admin@koganei.example',
			'editor@koganei.example',
			'viewer@koganei.example',
			'admin@tomakomai.example',
			'editor@tomakomai.example',
			'viewer@tomakomai.example',
			'editor-bouhan@koganei.example',
			'official@tokyo.example',
			'official@hokkaido.example',
			'operator@mamori.example'
		]);
		expect(demoPassword({})).toBe('mamori-demo');
		expect(demoPassword({ MAMORI_DEMO_PASSWORD: 'another one' })).toBe('another one');
	});

	it('are refused when MAMORI_ENV=production; seedAll then leaves them out', async () => {
		const location = await sqldDirectory().ensure(uniqueName('demo-prod'));
		await migrateCore(location);
		const core = openCore(location);
		try {
			await expect(
				seedDemoAccounts({
					core,
					tenantIds: new Map(),
					password: 'mamori-demo',
					env: { MAMORI_ENV: 'production' },
					idFor: (e) => e
				})
			).rejects.toThrow('refused when MAMORI_ENV=production');
			expect(await core.select().from(users)).toEqual([]);
		} finally {
			core.$client.close();
		}
	});

	it('seedAll creates them with their roles, idempotently, and sign-in works with the demo password', async () => {
		// Embedded files of its own: the seed cities' database names are shared on the test sqld.
		const directory = embeddedDirectory();
		const location = await directory.ensure('core');
		await migrateCore(location);
		const first = await seedAll({
			core: location,
			directory,
			seedsDir,
			env: { MAMORI_DEMO_PASSWORD: 'demo passphrase' }
		});
		expect(first.demoAccounts).toBe(13);
		const core = openCore(location);
		try {
			const before = await core.select().from(users).where(eq(users.email, 'official@hokkaido.example'));
			await seedAll({ core: location, directory, seedsDir, env: { MAMORI_DEMO_PASSWORD: 'demo passphrase' } });
			expect(await core.select().from(users).where(eq(users.email, 'official@hokkaido.example'))).toEqual(before);
			const result = await signIn({ core, input: { email: 'official@hokkaido.example', password: 'demo passphrase' } });
			const principal = (await validateSessionToken({ core, token: result.ok ? result.token : '' }))!.principal;
			expect(principal.prefectures).toEqual([{ code: '01', name: '北海道' }]);
			// The department-limited editor holds 小金井市's 地域安全課, as the city's database names it.
			const bouhan = await signIn({
				core,
				input: { email: 'editor-bouhan@koganei.example', password: 'demo passphrase' }
			});
			const [membership] = (await validateSessionToken({ core, token: bouhan.ok ? bouhan.token : '' }))!.principal
				.memberships;
			const koganei = openTenant(first.cities.find((c) => c.slug === 'koganei')!.location);
			const [safety] = await koganei.select().from(departments).where(eq(departments.name, '地域安全課'));
			koganei.$client.close();
			expect(membership).toMatchObject({ role: 'editor', departmentIds: [safety!.id] });
			const operator = await signIn({ core, input: { email: 'operator@mamori.example', password: 'demo passphrase' } });
			expect(
				(await validateSessionToken({ core, token: operator.ok ? operator.token : '' }))!.principal.isOperator
			).toBe(true);
		} finally {
			core.$client.close();
		}
	}, 60_000);
});
