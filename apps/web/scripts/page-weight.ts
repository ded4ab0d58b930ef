// npm run page-weight [-- --json] — what each main page costs a browser: the gzip size of the
// JavaScript and of the CSS it loads, with JavaScript on, against the built app in workerd.
// Needs `npm run build` first. Each page is loaded in a fresh browser context (empty cache).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { freePort } from '@mamori/db/node';
import { launchBrowser } from '../e2e/browser.ts';
import { signedInThroughForm } from '../e2e/session.ts';
import { repoRoot, startStack } from './stack.ts';

interface PageSpec {
	label: string;
	/** A path, or a function that finds it on the signed-in app. */
	path: string | ((context: BrowserContext, appUrl: string) => Promise<string>);
	account?: string;
}

const pages: PageSpec[] = [
	{ label: 'home', path: '/' },
	{ label: 'login', path: '/login' },
	{ label: 'city overview', path: '/meguro', account: 'editor@meguro.example' },
	{ label: 'initiative', path: firstInitiative, account: 'editor@meguro.example' },
	{ label: 'KPIs', path: '/meguro/kpis', account: 'editor@meguro.example' },
	{ label: 'benchmarks (official)', path: '/benchmarks', account: 'official@tokyo.example' }
];

interface Weight {
	label: string;
	path: string;
	jsFiles: number;
	jsGzip: number;
	cssFiles: number;
	cssGzip: number;
}

async function firstInitiative(context: BrowserContext, appUrl: string): Promise<string> {
	const page = await context.newPage();
	await page.goto(`${appUrl}/meguro`);
	const href = await page.locator('a[href^="/meguro/initiatives/"]').first().getAttribute('href');
	await page.close();
	if (!href) throw new Error('no initiative link on /meguro');
	return href;
}

/** The signed-in cookies of an account, taken once and given to every fresh context. */
async function signIn(browser: Browser, appUrl: string, email: string) {
	const context = await signedInThroughForm(browser, appUrl, email);
	const state = await context.storageState();
	await context.close();
	return state;
}

async function measure(
	browser: Browser,
	appUrl: string,
	spec: PageSpec,
	states: Map<string, unknown>
): Promise<Weight> {
	let storageState: Awaited<ReturnType<typeof signIn>> | undefined;
	if (spec.account) {
		if (!states.has(spec.account)) states.set(spec.account, await signIn(browser, appUrl, spec.account));
		storageState = states.get(spec.account) as typeof storageState;
	}
	const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled: true, storageState });
	const path = typeof spec.path === 'string' ? spec.path : await spec.path(context, appUrl);
	const page = await context.newPage();
	const bodies = new Map<string, Promise<{ kind: 'js' | 'css'; size: number } | null>>();
	page.on('response', (response) => {
		const type = response.headers()['content-type'] ?? '';
		const kind = type.includes('javascript') ? 'js' : type.includes('text/css') ? 'css' : null;
		if (!kind || bodies.has(response.url())) return;
		bodies.set(
			response.url(),
			response.body().then(
				(body) => ({ kind, size: gzipSync(body).length }),
				() => null
			)
		);
	});
	await page.goto(`${appUrl}${path}`, { waitUntil: 'networkidle' });
	const results = (await Promise.all(bodies.values())).filter((r) => r !== null);
	await context.close();
	const sum = (kind: 'js' | 'css') => results.filter((r) => r.kind === kind).reduce((n, r) => n + r.size, 0);
	const count = (kind: 'js' | 'css') => results.filter((r) => r.kind === kind).length;
	return {
		label: spec.label,
		path,
		jsFiles: count('js'),
		jsGzip: sum('js'),
		cssFiles: count('css'),
		cssGzip: sum('css')
	};
}

function table(weights: Weight[]): string {
	const rows = [
		['page', 'path', 'JS files', 'JS gzip B', 'CSS files', 'CSS gzip B'],
		...weights.map((w) => [w.label, w.path, w.jsFiles, w.jsGzip, w.cssFiles, w.cssGzip].map(String))
	];
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
	return rows
		.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
		.join('\n');
}

if (!existsSync(join(repoRoot, 'apps/web/.svelte-kit/cloudflare/_worker.js'))) {
	console.error('The web app is not built: run `npm run build` first.');
	process.exit(1);
}
const dataDir = mkdtempSync(join(tmpdir(), 'mamori-weight-'));
const stack = await startStack({ port: await freePort(), dataDir });
let browser: Browser | undefined;
try {
	browser = await launchBrowser();
	const states = new Map<string, unknown>();
	const weights: Weight[] = [];
	for (const spec of pages) weights.push(await measure(browser, stack.url, spec, states));
	console.log(process.argv.includes('--json') ? JSON.stringify(weights, null, '\t') : table(weights));
} finally {
	await browser?.close();
	await stack.stop();
	rmSync(dataDir, { recursive: true, force: true });
}
