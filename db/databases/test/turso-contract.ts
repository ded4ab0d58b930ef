// A local stand-in for Turso's Platform API (api.turso.tech), answering as its published API
// reference says — Turso cannot be reached from here. Only the calls Mamori makes are served:
//   POST   /v1/organizations/{org}/databases                 {name, group} → 200 {database:{DbId,Hostname,Name}}; 409 if taken
//   GET    /v1/organizations/{org}/databases/{name}          → 200 {database:{…}}; 404 {error}
//   DELETE /v1/organizations/{org}/databases/{name}          → 200 {database: name}; 404 {error}
//   POST   /v1/organizations/{org}/groups/{group}/auth/tokens?expiration&authorization → 200 {jwt}
// Every call needs `Authorization: Bearer <platform token>` (401 otherwise).
import { createServer, type Server } from 'node:http';

export interface TursoContractServer {
	url: string;
	databases: Map<string, { Name: string; DbId: string; Hostname: string; group: string }>;
	requests: { method: string; path: string; body: unknown }[];
	close(): Promise<void>;
}

export async function startTursoContractServer(options: {
	organization: string;
	group: string;
	token: string;
}): Promise<TursoContractServer> {
	const databases = new Map<string, { Name: string; DbId: string; Hostname: string; group: string }>();
	const requests: TursoContractServer['requests'] = [];
	const server: Server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString();
		const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
		const url = new URL(req.url ?? '/', 'http://localhost');
		requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
		const send = (status: number, json: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		};
		if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'token is invalid' });
		const prefix = `/v1/organizations/${options.organization}`;
		if (!url.pathname.startsWith(prefix)) return send(404, { error: 'organization not found' });
		const path = url.pathname.slice(prefix.length);

		if (req.method === 'POST' && path === '/databases') {
			const name = String(body?.name ?? '');
			const group = String(body?.group ?? '');
			if (!/^[a-z0-9-]{1,64}$/.test(name)) return send(400, { error: 'invalid database name' });
			if (group !== options.group) return send(404, { error: `group ${group} not found` });
			if (databases.has(name)) return send(409, { error: `database with name ${name} already exists` });
			const database = {
				Name: name,
				DbId: crypto.randomUUID(),
				Hostname: `${name}-${options.organization}.aws-ap-northeast-1.turso.io`,
				group
			};
			databases.set(name, database);
			return send(200, { database: { DbId: database.DbId, Hostname: database.Hostname, Name: database.Name } });
		}
		const one = /^\/databases\/([^/]+)$/.exec(path);
		if (one) {
			const name = decodeURIComponent(one[1]!);
			const database = databases.get(name);
			if (!database) return send(404, { error: `could not find database with name ${name}` });
			if (req.method === 'GET') return send(200, { database });
			if (req.method === 'DELETE') {
				databases.delete(name);
				return send(200, { database: name });
			}
		}
		const tokens = /^\/groups\/([^/]+)\/auth\/tokens$/.exec(path);
		if (req.method === 'POST' && tokens) {
			if (decodeURIComponent(tokens[1]!) !== options.group) return send(404, { error: 'group not found' });
			const claims = {
				a: url.searchParams.get('authorization') === 'read-only' ? 'ro' : 'rw',
				exp: url.searchParams.get('expiration')
			};
			return send(200, { jwt: `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature` });
		}
		return send(404, { error: 'not found' });
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		databases,
		requests,
		close: () => new Promise((ok) => server.close(() => ok()))
	};
}
