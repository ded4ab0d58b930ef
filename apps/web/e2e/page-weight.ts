// The JavaScript each page makes a browser download, from the client build
// (apps/web/.svelte-kit/output/client): a page as the server answers it, its scripts (what it
// preloads, what its starter imports, the route nodes it starts) followed through their static
// imports, each file gzipped as the edge sends it. No build and no browser: page-weight.test.ts
// asserts the budget with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../scripts/stack.ts';
import { crawl, routeKey } from './crawl.ts';
import { SEED_CITIES } from './dump.ts';
import { sessionCookie } from './session.ts';
import { get } from './http.ts';

export const JS_BUDGET = 35_000;

/**
 * Pages that still run the app in the browser (use:enhance, fields that keep what was typed before
 * hydration), each with the most it may weigh: the figure when it was listed plus 1.5 KB, so what
 * they send may only shrink, and a page leaves the list once it is within the budget. The app's
 * runtime alone (Svelte, SvelteKit's client and its route table) is 41 KB gzip, so no page with
 * `csr` on can meet 35 KB; pages with nothing for the app to do have `csr = false` and send none.
 */
export const OVER_BUDGET: Record<string, number> = {
	'/[tenant]/api-tokens': 59000,
	'/[tenant]/benchmarks': 62000,
	'/[tenant]/departments': 55000,
	'/[tenant]/history': 59000,
	'/[tenant]/import': 59000,
	'/[tenant]/import/document': 60000,
	'/[tenant]/initiatives/[id]': 79000,
	'/[tenant]/kpis': 62000,
	'/[tenant]/kpis/[id]': 73000,
	'/[tenant]/members': 59000,
	'/[tenant]/nodes/[id]': 71000,
	'/[tenant]/plan': 61000,
	'/[tenant]/rounds': 58000,
	'/[tenant]/rounds/[id]': 57000,
	'/[tenant]/tasks/[id]': 65000,
	'/account': 59000,
	'/login': 54000,
	'/operator': 59000,
	'/operator/populations': 57000,
	'/operator/restore': 55000,
	'/operator/taxonomy': 58000,
	'/reset-password': 53500
};

export const CLIENT = join(repoRoot, 'apps/web/.svelte-kit/output/client');

const sizes = new Map<string, { gzip: number; imports: string[] }>();
/** A built file's gzip size and the files it imports statically (`import … from "./x.js"`). */
function builtFile(path: string) {
	let file = sizes.get(path);
	if (!file) {
		const text = readFileSync(join(CLIENT, path), 'utf8');
		const dir = path.slice(0, path.lastIndexOf('/') + 1);
		const imports = [...text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) =>
			new URL(m[1]!, `http://x/${dir}`).pathname.slice(1)
		);
		file = { gzip: gzipSync(text).length, imports };
		sizes.set(path, file);
	}
	return file;
}

/** The built file of each of the app's route nodes (layouts and pages), by node id. */
let nodeFiles: Map<number, string> | undefined;
function nodeFile(id: number): string {
	if (!nodeFiles) {
		const manifest = JSON.parse(readFileSync(join(CLIENT, '.vite/manifest.json'), 'utf8')) as Record<
			string,
			{ file: string }
		>;
		nodeFiles = new Map(
			Object.entries(manifest).flatMap(([source, { file }]) => {
				const id = /\/nodes\/(\d+)\.js$/.exec(source)?.[1];
				return id === undefined ? [] : [[Number(id), file] as const];
			})
		);
	}
	const file = nodeFiles.get(id);
	if (!file) throw new Error(`no built file for route node ${id}`);
	return file;
}

/**
 * The scripts a page loads and everything they import statically, with their gzip sizes: what
 * its HTML and Link header preload, what its starter script imports, and the route nodes it
 * starts (`node_ids`), which the app entry imports dynamically.
 */
export function scriptsOf(html: string, link = ''): { files: string[]; gzip: number } {
	const starters = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
	const roots = [
		...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)].map((m) => /href="([^"]+)"/.exec(m[0])?.[1]),
		...[...link.matchAll(/<([^>]+)>;[^,]*rel="?modulepreload/g)].map((m) => m[1]),
		...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
		...starters.flatMap((text) => [...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((i) => i[1]))
	]
		.filter((href): href is string => href !== undefined && href.startsWith('/') && href.endsWith('.js'))
		.map((href) => href.slice(1));
	for (const text of starters) {
		const ids = /node_ids:\s*\[([\d,\s]*)\]/.exec(text)?.[1];
		for (const id of ids?.split(',').filter((n) => n.trim()) ?? []) roots.push(nodeFile(Number(id)));
	}
	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const path = queue.shift()!;
		if (seen.has(path)) continue;
		seen.add(path);
		queue.push(...builtFile(path).imports);
	}
	const files = [...seen];
	return { files, gzip: files.reduce((sum, f) => sum + builtFile(f).gzip, 0) };
}

export const ROLES: { who: string; email?: string; start: string[] }[] = [
	{ who: 'anonymous', start: ['/', '/login', '/reset-password'] },
	// 小金井市 has reporting rounds and tasks, so its admin reaches every page of a city.
	{ who: 'admin@koganei', email: 'admin@koganei.example', start: ['/koganei', '/account'] },
	{ who: 'official@tokyo', email: 'official@tokyo.example', start: ['/benchmarks', '/account'] },
	{ who: 'operator', email: 'operator@mamori.example', start: ['/operator', '/account'] }
];

export interface Weighed {
	who: string;
	route: string;
	path: string;
	files: number;
	gzip: number;
}

/** Every page the crawls of `roles` find on `appUrl`, one per route, weighed. */
export async function weighCrawled(appUrl: string, roles = ROLES): Promise<Weighed[]> {
	const weighed: Weighed[] = [];
	const seen = new Set<string>();
	for (const role of roles) {
		const cookie = role.email ? await sessionCookie(appUrl, role.email) : undefined;
		const result = await crawl(appUrl, {
			...(cookie ? { cookie } : {}),
			start: role.start,
			// A link whose token is the credential (an invitation in the outbox) is no page to weigh.
			skip: (url) => routeKey(url).includes('[token]'),
			key: (u) => routeKey(u, [...SEED_CITIES])
		});
		if (result.truncated.length > 0) throw new Error(`crawl as ${role.who} truncated`);
		for (const page of result.pages) {
			if (page.status !== 200) continue;
			const route = routeKey(new URL(page.url, appUrl), [...SEED_CITIES]);
			// A route sends the same scripts to everyone (what may be edited is data): weighed once.
			if (seen.has(route)) continue;
			seen.add(route);
			const response = await get(appUrl, page.url, cookie);
			if (!response.headers.get('content-type')?.startsWith('text/html')) continue;
			const { files, gzip } = scriptsOf(await response.text(), response.headers.get('link') ?? '');
			weighed.push({ who: role.who, route, path: page.url, files: files.length, gzip });
		}
	}
	return weighed;
}
