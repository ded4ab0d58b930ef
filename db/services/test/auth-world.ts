// A fresh core database with the shared seed data, the three seed cities registered as tenants
// (without tenant databases: auth needs none) and the demo accounts: the world auth tests run in.
import { openCore, type CoreDb, type DatabaseLocation } from '@mamori/db';
import { tenants, users } from '@mamori/db/core';
import { migrateCore } from '@mamori/db/node';
import { DEFAULT_DEMO_PASSWORD, seedDemoAccounts } from '../src/seed/demo-accounts.ts';
import { readCoreSeeds, seedCore, stableId } from '../src/seed/seed.ts';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';
import { seedsDir } from './seeded.ts';
import { eq } from 'drizzle-orm';

export const PASSWORD = DEFAULT_DEMO_PASSWORD;

export const cities = {
	meguro: { code: '131105', prefectureCode: '13' },
	koganei: { code: '132101', prefectureCode: '13' },
	tomakomai: { code: '012131', prefectureCode: '01' }
} as const;

export type CitySlug = keyof typeof cities;

export interface AuthWorld {
	core: CoreDb;
	/** Where the core database is (to open it again, e.g. with a round-trip meter). */
	location: DatabaseLocation;
	tenantIds: Record<CitySlug, string>;
	userId(email: string): Promise<string>;
	tenant(slug: CitySlug): { id: string; prefectureCode: string; status: 'active' | 'suspended' };
}

export async function authWorld(): Promise<AuthWorld> {
	const location = await sqldDirectory().ensure(uniqueName('auth-core'));
	await migrateCore(location);
	const core = openCore(location);
	await seedCore(core, readCoreSeeds(seedsDir));
	const tenantIds = Object.fromEntries(Object.keys(cities).map((slug) => [slug, stableId('tenant', slug)])) as Record<
		CitySlug,
		string
	>;
	await core.insert(tenants).values(
		Object.entries(cities).map(([slug, city]) => ({
			id: tenantIds[slug as CitySlug],
			slug,
			municipalityCode: city.code,
			databaseName: uniqueName(`tenant-${slug}`),
			databaseUrl: 'http://localhost:1/unused/'
		}))
	);
	await seedDemoAccounts({
		core,
		tenantIds: new Map(Object.entries(tenantIds)),
		password: PASSWORD,
		env: {},
		idFor: (email) => stableId('demo-user', email)
	});
	return {
		core,
		location,
		tenantIds,
		async userId(email) {
			const [row] = await core.select({ id: users.id }).from(users).where(eq(users.email, email));
			return row!.id;
		},
		tenant(slug) {
			return { id: tenantIds[slug], prefectureCode: cities[slug].prefectureCode, status: 'active' };
		}
	};
}
