// For tests inside workerd: a real sqld with a migrated, seeded core database (done from Node,
// since seeding reads files), and its URL provided to the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { openCore } from '@mamori/db';
import { migrateCore, readCoreSeeds, seedCore, SqldDirectory, startSqld } from '@mamori/db/node';

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
		await migrateCore(core);
		const db = openCore(core);
		await seedCore(db, readCoreSeeds(fileURLToPath(new URL('../../../seeds', import.meta.url))));
		db.$client.close();
		project.provide('coreUrl', core.url);
	} catch (error) {
		await stop(); // never leave a server behind when setup fails
		throw error;
	}
	return stop;
}
