// npm run backup [-- <dir>] — the core database and every city database, one file each, with a
// manifest, into <dir> (default backups/<UTC time>). Exit code 1 when a city could not be backed
// up: run it again on the same directory and it completes the backup, keeping what it has.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseConfigFromEnv } from '@mamori/db/node';
import { backupFleet } from '../src/node.ts';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { concurrency: { type: 'string', default: '4' } }
});
const dir = positionals[0] ?? join('backups', new Date().toISOString().replace(/[:.]/g, '-'));
const config = databaseConfigFromEnv();
const started = performance.now();
const manifest = await backupFleet({
	dir,
	core: config.core,
	coreName: config.coreName,
	locate: (name) => config.directory.locate(name),
	concurrency: Number(values.concurrency),
	log: (line) => console.log(line)
});
const files = [manifest.core, ...Object.values(manifest.files)].filter((f) => f !== null);
const rows = files.reduce((n, f) => n + f.rows, 0);
const bytes = files.reduce((n, f) => n + f.bytes, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
	`backup ${dir}: ${files.length} databases (core + ${files.length - 1} of ${manifest.tenants.length} cities), ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, ${seconds} s`
);
if (manifest.failed.length > 0) {
	console.error(`${manifest.failed.length} city database(s) were not backed up:`);
	for (const f of manifest.failed) console.error(`  ${f.slug} (${f.databaseName}): ${f.error}`);
	console.error(`Fix the cause and run \`npm run backup -- ${dir}\` again: it completes this backup.`);
	process.exitCode = 1;
}
