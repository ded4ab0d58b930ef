// npm run db:migrate — applies pending migrations to the core database and every tenant database.
// Exit code 1 when any database failed; run it again to resume those.
import { databaseConfigFromEnv, migrateFleet } from '../src/node.ts';

const config = databaseConfigFromEnv();
await config.directory.ensure(config.coreName);
const report = await migrateFleet({
	core: config.core,
	locate: (name) => config.directory.locate(name),
	log: (l) => console.log(l)
});
const ok = report.tenants.length - report.failed.length;
console.log(`core ${report.coreVersion}; tenants migrated: ${ok}/${report.tenants.length}`);
if (report.failed.length > 0) {
	console.error(`${report.failed.length} tenant database(s) failed and keep their previous version:`);
	for (const f of report.failed) console.error(`  ${f.slug} (${f.databaseName}): ${f.error}`);
	console.error('Fix the cause and run `npm run db:migrate` again: it resumes where it failed.');
	process.exitCode = 1;
}
