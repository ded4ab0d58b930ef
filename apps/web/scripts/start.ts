// npm start — builds the app, starts sqld, migrates, seeds, and serves the built app and the API
// worker in workerd (PORT, by default 8787; API_PORT, by default 8788).
// npm run preview:edge — the same, serving the existing build (`npm run build` first) as it deploys:
// the web app's Worker with static assets and the API Worker, both in workerd.
// npm run dev — the same databases and API with `vite dev` (hot reload) instead of the built app.
// Both Workers' crons run by hand at the API's /__scheduled?cron=…. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrateFleet, SqldDirectory, startSqld } from '@mamori/db/node';
import { seedAll } from '@mamori/services/node';
import { demoAccountsText } from './demo.ts';
import { apiConfig, cronsOf, repoRoot, startStack, startWorker } from './stack.ts';

const dev = process.argv.includes('--dev');
const edge = process.argv.includes('--edge');
const port = Number(process.env.PORT ?? (dev ? 5173 : 8787));
const apiPort = Number(process.env.API_PORT ?? 8788);
const dataDir = join(repoRoot, '.data');
const say = (line: string) => console.log(line);

if (dev) {
	// vite dev reads platform.env from wrangler.toml, which points at sqld on its default ports.
	const sqld = await startSqld({ dataDir, httpPort: 8080, adminPort: 9090, quiet: true });
	const directory = new SqldDirectory({ httpUrl: sqld.httpUrl, adminUrl: sqld.adminUrl });
	const core = await directory.ensure('core');
	await migrateFleet({ core, locate: (name) => directory.locate(name) });
	await seedAll({ core, directory, seedsDir: join(repoRoot, 'seeds') });
	const api = await startWorker({
		config: apiConfig,
		ready: '/v1/health',
		port: apiPort,
		dataDir,
		vars: { CORE_DATABASE_URL: core.url, MAMORI_WEB_ORIGIN: `http://127.0.0.1:${port}` },
		testScheduled: true
	});
	const vite = spawn(join(repoRoot, 'node_modules/.bin/vite'), ['dev', '--port', String(port), '--host', '127.0.0.1'], {
		cwd: join(repoRoot, 'apps/web'),
		stdio: 'inherit'
	});
	say(`API: ${api.url}/v1  (workerd)`);
	say(demoAccountsText());
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		vite.kill('SIGTERM');
		await api.stop();
		await sqld.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	vite.on('exit', () => void stop());
} else {
	if (edge) {
		if (!existsSync(join(repoRoot, 'apps/web/.svelte-kit/cloudflare/_worker.js'))) {
			say('ビルドがありません。先に npm run build を実行してください。 (no build: run `npm run build` first)');
			process.exit(1);
		}
	} else if (process.env.MAMORI_SKIP_BUILD !== '1') {
		say('ビルドしています… (building the app)');
		const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
		if (build.status !== 0) process.exit(build.status ?? 1);
	}
	say('sqld を起動し、データベースを準備しています… (starting sqld, migrating, seeding)');
	const stack = await startStack({
		port,
		apiPort,
		dataDir,
		sqldHttpPort: Number(process.env.SQLD_HTTP_PORT ?? 8080),
		sqldAdminPort: Number(process.env.SQLD_ADMIN_PORT ?? 9090),
		log: say
	});
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('\n停止しています… (stopping)');
		await stack.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	process.on('SIGHUP', stop);
	say(`\nMamori を起動しました (workerd + sqld):`);
	say(`  ウェブアプリ (web app): ${stack.url}/`);
	say(`  API:                    ${stack.apiUrl}/v1`);
	say('  定期ジョブを手で実行 (run a cron by hand):');
	for (const cron of cronsOf(apiConfig)) say(`    ${stack.apiUrl}/__scheduled?cron=${encodeURIComponent(cron)}`);
	say(demoAccountsText());
	say('Ctrl-C で停止します。');
}
