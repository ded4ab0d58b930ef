// A seed city loaded into its own fresh database on the test project's sqld, under a unique
// name so tests do not disturb each other.
import { fileURLToPath } from 'node:url';
import { openCore, openTenant, type DatabaseLocation, type TenantDb } from '../src/client.ts';
import { migrateCore } from '../src/node/fleet.ts';
import { readCitySeed, readCoreSeeds, seedCity, seedCore } from '../src/node/seed.ts';
import { sqldDirectory, uniqueName } from './directories.ts';

export const seedsDir = fileURLToPath(new URL('../../seeds', import.meta.url));

export async function seededCity(slug: 'meguro' | 'koganei' | 'tomakomai'): Promise<{
	db: TenantDb;
	core: DatabaseLocation;
	seeds: ReturnType<typeof readCoreSeeds>;
}> {
	const directory = sqldDirectory();
	const core = await directory.ensure(uniqueName(`${slug}-core`));
	await migrateCore(core);
	const seeds = readCoreSeeds(seedsDir);
	const coreDb = openCore(core);
	try {
		await seedCore(coreDb, seeds);
		const city = readCitySeed(`${seedsDir}/cities/${slug}.yaml`, seeds);
		city.tenant.slug = uniqueName(slug);
		const seeded = await seedCity({ core: coreDb, directory, city });
		return { db: openTenant(seeded.location), core, seeds };
	} finally {
		coreDb.$client.close();
	}
}
