// npm run db:seed — shared data and the seed cities; safe to run again (changes nothing).
import { fileURLToPath } from 'node:url';
import { databaseConfigFromEnv, migrateCore } from '@mamori/db/node';
import { seedAll, SeedError } from '../src/node.ts';

const config = databaseConfigFromEnv();
const seedsDir = process.env.MAMORI_SEEDS_DIR ?? fileURLToPath(new URL('../../../seeds', import.meta.url));
try {
	await config.directory.ensure(config.coreName);
	await migrateCore(config.core);
	const summary = await seedAll({ core: config.core, directory: config.directory, seedsDir });
	const { prefectures, municipalities, categories, indicators } = summary.core;
	console.log(
		`shared: ${prefectures} prefectures, ${municipalities} municipalities, ${categories} categories, ${indicators} indicators`
	);
	for (const c of summary.cities) console.log(`${c.slug}: ${c.loaded ? 'loaded' : 'already loaded, left as it is'}`);
} catch (error) {
	if (error instanceof SeedError) {
		console.error(`Seed files are invalid:\n${error.message}`);
		process.exit(1);
	}
	throw error;
}
