// A pass-through HTTP proxy between the app and sqld that can break sqld at an exact moment: when
// a chosen statement passes (a save's UPDATE, a publication's core batch, the city's history row),
// sqld is stopped (SIGSTOP: hung, the statement waits in its socket and runs when it resumes) or
// killed (SIGKILL), before the statement reaches it or after sqld has applied it and before its
// answer reaches the app. What the app sees is what it would see from a real failure at that point.
import {
	request as httpRequest,
	createServer,
	type IncomingMessage,
	type Server,
	type ServerResponse
} from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export type Fault =
	/** sqld is stopped before the statement reaches it: it waits in sqld's socket and runs on SIGCONT. */
	| 'stop-before'
	/** sqld applies the statement and is stopped before answering. */
	| 'stop-after'
	/** sqld is killed with the statement in its socket, unread: certainly not applied. */
	| 'kill-before'
	/** sqld applies the statement and is killed before its answer reaches the app. */
	| 'kill-after';

export interface FaultProxy {
	url: string;
	/** Where requests go now (a restarted sqld listens elsewhere). */
	target(httpUrl: string, sqld: ChildProcess): void;
	/** The next request to a namespace matching `namespace` with an SQL statement matching `statement` triggers `fault`. */
	arm(fault: Fault, namespace: RegExp, statement: RegExp): Promise<void>;
	close(): Promise<void>;
}

/**
 * Waits until every thread of the process is stopped: SIGSTOP is delivered asynchronously, and on a
 * busy machine sqld could read what is sent next before it takes effect (answering a request
 * meant to hang). The state is the field after the command's closing parenthesis in
 * /proc/<pid>/task/<tid>/stat ('T': stopped).
 */
async function stoppedFully(process: ChildProcess) {
	const pid = process.pid!;
	for (let waited = 0; ; waited++) {
		const states = readdirSync(`/proc/${pid}/task`).map((tid) => {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			return stat[stat.lastIndexOf(')') + 2];
		});
		if (states.every((state) => state === 'T' || state === 't')) return;
		if (waited > 5000) throw new Error(`sqld (${pid}) did not stop: thread states ${states.join('')}`);
		await new Promise((r) => setTimeout(r, 1));
	}
}

/** The SQL texts of a Hrana pipeline request (its `sql` fields, wherever they are), one a line. */
function statements(body: Buffer): string {
	const found: string[] = [];
	const walk = (value: unknown) => {
		if (Array.isArray(value)) value.forEach(walk);
		else if (value && typeof value === 'object')
			for (const [key, v] of Object.entries(value)) {
				if (key === 'sql' && typeof v === 'string') found.push(v);
				else walk(v);
			}
	};
	try {
		walk(JSON.parse(body.toString()));
	} catch {
		/* not a pipeline request */
	}
	return found.join('\n');
}

export async function startFaultProxy(): Promise<FaultProxy> {
	let upstream = new URL('http://127.0.0.1:9');
	let sqld: ChildProcess | undefined;
	let armed: { fault: Fault; namespace: RegExp; statement: RegExp; fired: () => void } | undefined;
	const held = new Set<ServerResponse>();

	/** Sends the request on to sqld; `written` is called once all of it is in the kernel's hands (in sqld's socket). */
	const forward = (req: IncomingMessage, body: Buffer, written?: () => void) =>
		new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
			const out = httpRequest(
				{
					host: upstream.hostname,
					port: upstream.port,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) }
				},
				(answer) => {
					const chunks: Buffer[] = [];
					answer.on('data', (c: Buffer) => chunks.push(c));
					answer.on('end', () =>
						resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) })
					);
					answer.on('error', reject);
				}
			);
			out.on('error', reject);
			if (written) out.on('finish', written);
			out.end(body);
		});

	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const fault =
				armed && armed.namespace.test(req.url ?? '') && armed.statement.test(statements(body)) ? armed : undefined;
			if (fault) armed = undefined;
			void (async () => {
				// Stopped before anything is sent, and certainly stopped: nothing sent now is read.
				if (fault && sqld && (fault.fault === 'stop-before' || fault.fault === 'kill-before')) {
					sqld.kill('SIGSTOP');
					await stoppedFully(sqld);
				}
				const target = sqld;
				// The request is in the stopped sqld's socket, unread: killed there.
				const sent = forward(req, body, fault?.fault === 'kill-before' ? () => target?.kill('SIGKILL') : undefined);
				if (fault?.fault === 'stop-before') fault.fired();
				let answer: Awaited<typeof sent>;
				try {
					answer = await sent;
				} catch {
					fault?.fired();
					// Killed while the request was in it: the app's connection is lost, as with sqld itself.
					if (fault) res.socket?.destroy();
					// Not listening: nothing was sent, answered as a load balancer would.
					else res.writeHead(502).end();
					return;
				}
				if (fault?.fault === 'stop-after') {
					sqld?.kill('SIGSTOP');
					held.add(res); // never answered: the app gives up at its deadline
					fault.fired();
					return;
				}
				if (fault?.fault === 'kill-after') {
					sqld?.kill('SIGKILL');
					fault.fired();
					res.socket?.destroy();
					return;
				}
				if (fault) fault.fired();
				res.writeHead(answer.status, answer.headers);
				res.end(answer.body);
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		// sqld takes the namespace from the path only under a host name without dots.
		url: `http://localhost:${port}`,
		target(httpUrl, process) {
			upstream = new URL(httpUrl);
			sqld = process;
		},
		arm(fault, namespace, statement) {
			return new Promise<void>((fired) => {
				armed = { fault, namespace, statement, fired };
			});
		},
		async close() {
			for (const res of held) res.socket?.destroy();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}
