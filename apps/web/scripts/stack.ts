// The whole local stack: sqld → fleet migration → seed → the built web app and the API worker in
// workerd (wrangler dev), both against the same sqld. Used by `npm start` and by the browser tests,
// so tests run exactly what people run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { freePort, migrateFleet, SqldDirectory, startSqld, type SqldServer } from '@mamori/db/node';
import { seedAll } from '@mamori/services/node';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface StackOptions {
	port: number;
	/** Where the API worker listens; without it only the web app is served. */
	apiPort?: number;
	dataDir: string;
	sqldHttpPort?: number;
	sqldAdminPort?: number;
	log?: (line: string) => void;
	/** Extra `--var NAME:VALUE` for the Worker. */
	vars?: Record<string, string>;
}

export interface Stack {
	url: string;
	/** The API worker's origin (its routes are under /v1), when `apiPort` was given. */
	apiUrl?: string;
	sqld: SqldServer;
	coreUrl: string;
	directory: SqldDirectory;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const log = options.log ?? (() => {});
	const sqld = await startSqld({
		dataDir: options.dataDir,
		...(options.sqldHttpPort ? { httpPort: options.sqldHttpPort } : {}),
		...(options.sqldAdminPort ? { adminPort: options.sqldAdminPort } : {}),
		quiet: true
	});
	const workers: Worker[] = [];
	const stop = async () => {
		await Promise.all(workers.map((w) => w.stop()));
		await sqld.stop();
	};
	try {
		const directory = new SqldDirectory({ httpUrl: sqld.httpUrl, adminUrl: sqld.adminUrl });
		const core = await directory.ensure('core');
		const report = await migrateFleet({ core, locate: (name) => directory.locate(name) });
		if (report.failed.length > 0)
			throw new Error(`migration failed for ${report.failed.map((f) => f.slug).join(', ')}`);
		log(`データベース: core ${report.coreVersion}, 自治体 ${report.tenants.length} 件を移行済み`);
		const seeded = await seedAll({ core, directory, seedsDir: join(repoRoot, 'seeds') });
		log(`シード: ${seeded.cities.map((c) => `${c.slug}${c.loaded ? '（新規）' : ''}`).join(', ')}`);

		const webUrl = `http://127.0.0.1:${options.port}`;
		// Started together: each wrangler is a few seconds of cold start.
		const [web, api] = await Promise.all([
			startWorker({
				port: options.port,
				dataDir: options.dataDir,
				// The operator console provisions new cities through the same sqld (admin API).
				vars: {
					CORE_DATABASE_URL: core.url,
					SQLD_HTTP_URL: sqld.httpUrl,
					SQLD_ADMIN_URL: sqld.adminUrl,
					...options.vars
				},
				started: (w) => workers.push(w)
			}),
			options.apiPort === undefined
				? undefined
				: startWorker({
						config: apiConfig,
						ready: '/v1/health',
						port: options.apiPort,
						dataDir: options.dataDir,
						// Reminder mails link to the web app served beside it.
						vars: { CORE_DATABASE_URL: core.url, MAMORI_WEB_ORIGIN: webUrl },
						// Its crons run by hand: GET /__scheduled?cron=<the cron, as in wrangler.toml>.
						testScheduled: true,
						started: (w) => workers.push(w)
					})
		]);
		return { url: web.url, ...(api ? { apiUrl: api.url } : {}), sqld, coreUrl: core.url, directory, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

export interface Worker {
	url: string;
	stop(): Promise<void>;
}

/** The web app's Worker (the built app with its static assets). */
export const webConfig = join(repoRoot, 'wrangler.toml');
/** The API worker (Hono, /v1 and the scheduled jobs). */
export const apiConfig = join(repoRoot, 'workers/api/wrangler.toml');

/** The crons of a wrangler.toml's [triggers], as `wrangler dev --test-scheduled` takes them. */
export function cronsOf(config: string): string[] {
	const line = readFileSync(config, 'utf8').match(/^crons\s*=\s*\[(.*)\]/m);
	return [...(line?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * A Worker in workerd through `wrangler dev` (by default the built web app), returned once `ready`
 * answers `expectStatus` (by default / and 200).
 */
export async function startWorker(options: {
	/** The Worker's wrangler.toml; by default the web app's. */
	config?: string;
	/** The path polled until it answers `expectStatus`. */
	ready?: string;
	port: number;
	dataDir: string;
	vars: Record<string, string>;
	expectStatus?: number;
	/** Answers GET /__scheduled?cron=… by running the Worker's scheduled handler (wrangler's --test-scheduled). */
	testScheduled?: boolean;
	/** Called as soon as the process runs, so that a caller can stop it if something else fails. */
	started?: (worker: Worker) => void;
}): Promise<Worker> {
	const config = options.config ?? webConfig;
	const child = spawn(
		join(repoRoot, 'node_modules/.bin/wrangler'),
		[
			'dev',
			'--config',
			config,
			'--ip',
			'127.0.0.1',
			'--port',
			String(options.port),
			'--inspector-port',
			String(await freePort()),
			'--persist-to',
			// Each Worker its own local state: two workerd processes never share a store.
			join(options.dataDir, config === webConfig ? 'wrangler' : `wrangler-${basename(dirname(config))}`),
			'--log-level',
			'warn',
			'--show-interactive-dev-session=false',
			...(options.testScheduled ? ['--test-scheduled'] : []),
			...Object.entries(options.vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
		],
		{
			cwd: repoRoot,
			detached: true, // its own process group, so workerd goes down with it
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }
		}
	);
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-8000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	// MAMORI_WORKER_LOG=1 shows what the worker logs (its console and errors) while debugging.
	if (process.env.MAMORI_WORKER_LOG) child.stderr?.pipe(process.stderr);
	if (process.env.MAMORI_WORKER_LOG) child.stdout?.pipe(process.stderr);
	const url = `http://127.0.0.1:${options.port}`;
	const stop = () => stopProcessGroup(child);
	options.started?.({ url, stop });
	const ready = `${url}${options.ready ?? '/'}`;
	// MAMORI_WORKER_START_S: a longer wait on a machine that is very busy (npm run bench sets it).
	const waitS = Number(process.env.MAMORI_WORKER_START_S ?? 90);
	const deadline = Date.now() + waitS * 1000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`wrangler exited (${child.exitCode}) for ${config}:\n${output}`);
		try {
			const response = await fetch(ready, { signal: AbortSignal.timeout(5000) });
			if (response.status === (options.expectStatus ?? 200)) break;
		} catch {
			/* not up yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${config} did not answer on ${ready} within ${waitS} s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { url, stop };
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	const signal = (s: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, s);
		} catch {
			/* already gone */
		}
	};
	signal('SIGTERM');
	const timer = setTimeout(() => signal('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
	signal('SIGKILL'); // anything of the group still there (workerd)
}
