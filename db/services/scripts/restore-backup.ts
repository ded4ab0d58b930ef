// npm run backup:restore -- <dir> — restores a backup into the databases this environment names
// (MAMORI_DB, SQLD_HTTP_URL/SQLD_ADMIN_URL or the Turso settings): the core database and every
// city database, created if absent. It refuses a database that holds other data. Exit code 1
// when a city failed: run it again, and it restores the rest, leaving the restored alone.
import { parseArgs } from 'node:util';
import { databaseConfigFromEnv } from '@mamori/db/node';
import { restoreFleet } from '../src/node.ts';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { concurrency: { type: 'string', default: '4' } }
});
const dir = positionals[0];
if (!dir) {
	console.error('usage: npm run backup:restore -- <backup directory>');
	process.exit(2);
}
const config = databaseConfigFromEnv();
const started = performance.now();
const report = await restoreFleet({
	dir,
	target: {
		core: async () => (await config.directory.ensure(config.coreName), config.core),
		ensure: (name) => config.directory.ensure(name)
	},
	concurrency: Number(values.concurrency),
	log: (line) => console.log(line)
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
	`restored ${dir}: ${report.databases} databases (${report.kept} already there), ${report.rows} rows, ${seconds} s`
);
if (report.failed.length > 0) {
	console.error(`${report.failed.length} city database(s) were not restored:`);
	for (const f of report.failed) console.error(`  ${f.databaseName}: ${f.error}`);
	process.exitCode = 1;
}
