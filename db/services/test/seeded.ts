// A seed city loaded into its own fresh database on the test project's sqld, under a unique
// name so tests do not disturb each other.
import { fileURLToPath } from 'node:url';
import { openCore, openTenant, type DatabaseLocation, type TenantDb } from '@mamori/db';
import { migrateCore } from '@mamori/db/node';
import { readCitySeed, readCoreSeeds, seedCity, seedCore, stableId } from '../src/seed/seed.ts';
import { sqldDirectory, uniqueName } from '@mamori/db/test/directories';

export const seedsDir = fileURLToPath(new URL('../../../seeds', import.meta.url));

/** A fresh core database, migrated and seeded with the shared data. */
export async function seededCore(): Promise<DatabaseLocation> {
	const core = await sqldDirectory().ensure(uniqueName('core'));
	await migrateCore(core);
	const coreDb = openCore(core);
	await seedCore(coreDb, readCoreSeeds(seedsDir));
	coreDb.$client.close();
	return core;
}

export async function seededCity(
	slug: 'meguro' | 'koganei' | 'tomakomai',
	options: { core?: DatabaseLocation } = {}
): Promise<{
	db: TenantDb;
	core: DatabaseLocation;
	seeds: ReturnType<typeof readCoreSeeds>;
	tenant: { id: string; slug: string; municipalityCode: string; prefectureCode: string };
}> {
	const directory = sqldDirectory();
	const core = options.core ?? (await directory.ensure(uniqueName(`${slug}-core`)));
	const seeds = readCoreSeeds(seedsDir);
	const coreDb = openCore(core);
	try {
		if (!options.core) {
			await migrateCore(core);
			await seedCore(coreDb, seeds);
		}
		const city = readCitySeed(`${seedsDir}/cities/${slug}.yaml`, seeds);
		city.tenant.slug = uniqueName(slug);
		const seeded = await seedCity({ core: coreDb, directory, city });
		const tenant = {
			id: stableId('tenant', city.tenant.slug),
			slug: city.tenant.slug,
			municipalityCode: city.tenant.municipalityCode,
			prefectureCode: city.tenant.municipalityCode.slice(0, 2)
		};
		return { db: openTenant(seeded.location), core, seeds, tenant };
	} finally {
		coreDb.$client.close();
	}
}
