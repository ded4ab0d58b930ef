// For tests inside workerd: a real sqld with the migrated, seeded core database, the seed cities'
// databases and the demo accounts (done from Node, since seeding reads files), and the core's URL
// provided to the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { migrateFleet, SqldDirectory, startSqld } from '@mamori/db/node';
import { seedAll } from '@mamori/services/node';

declare module 'vitest' {
	export interface ProvidedContext {
		coreUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-api-'));
	const sqld = await startSqld({ dataDir, quiet: true });
	const stop = async () => {
		await sqld.stop();
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		const directory = new SqldDirectory({ httpUrl: sqld.httpUrl, adminUrl: sqld.adminUrl });
		const core = await directory.ensure('core');
		await migrateFleet({ core, locate: (name) => directory.locate(name) });
		await seedAll({
			core,
			directory,
			seedsDir: fileURLToPath(new URL('../../../seeds', import.meta.url)),
			env: { MAMORI_ENV: 'test' }
		});
		project.provide('coreUrl', core.url);
	} catch (error) {
		await stop(); // never leave a server behind when setup fails
		throw error;
	}
	return stop;
}
