// Seeds the shared data (core database) and provisions and loads the seed cities (one database
// each, through the TenantDirectory), then, outside production, the demo accounts and
// publications. Files along the seams: core.ts, city.ts, demo.ts.
import { openCore, type DatabaseLocation } from '@mamori/db';
import { tenantDatabaseName, type TenantDirectory } from '@mamori/db/directory';
import { SeedError } from './seed-files.ts';
import { demoPassword, isProduction, seedDemoAccounts } from './demo-accounts.ts';
import { readCoreSeeds, seedCore, stableId, type CoreSeedSummary } from './core.ts';
import { cityFiles, readCitySeed, seedCity, type CitySeedResult } from './city.ts';
import { publishDemoFigures } from './demo.ts';

export { SeedError, tenantDatabaseName };
export * from './core.ts';
export * from './city.ts';

export interface SeedSummary {
	core: Omit<CoreSeedSummary, 'taxonomyCodes' | 'indicatorCodes'>;
	cities: CitySeedResult[];
	/** How many demo accounts exist; 0 in production, where they are never created. */
	demoAccounts: number;
	demoPublications: number;
}

/**
 * Seeds everything: shared data, then each city, then (outside production) the demo accounts.
 * Validates every file before writing anything.
 */
export async function seedAll(options: {
	core: DatabaseLocation;
	directory: TenantDirectory;
	seedsDir: string;
	env?: NodeJS.ProcessEnv;
}): Promise<SeedSummary> {
	const env = options.env ?? process.env;
	const seeds = readCoreSeeds(options.seedsDir);
	const cities = cityFiles(options.seedsDir).map((file) => readCitySeed(file, seeds));
	const db = openCore(options.core);
	try {
		const shared = await seedCore(db, seeds);
		const results: CitySeedResult[] = [];
		for (const city of cities) results.push(await seedCity({ core: db, directory: options.directory, city }));
		const { taxonomyCodes: _t, indicatorCodes: _i, ...counts } = shared;
		const demoAccounts = isProduction(env)
			? 0
			: await seedDemoAccounts({
					core: db,
					tenantIds: new Map(results.map((c) => [c.slug, stableId('tenant', c.slug)])),
					password: demoPassword(env),
					env,
					idFor: (email) => stableId('demo-user', email)
				});
		const demoPublications = isProduction(env) ? 0 : await publishDemoFigures(db, results);
		return { core: counts, cities: results, demoAccounts, demoPublications };
	} finally {
		db.$client.close();
	}
}
