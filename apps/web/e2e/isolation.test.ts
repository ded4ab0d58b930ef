// What each kind of user can reach, found by crawling the running stack as them (every seed city
// as its admin, the benchmarks as an official, the console as the operator), then probed as those
// who may not: another city's admin, prefectural officials (of the city's prefecture and of
// another), and anonymously. Every page, its __data.json, every download and every POST form
// (submitted as served, with its real ids and versions, plain and enhanced) must be refused with
// 403 or 404 (or a redirect to sign-in), and no database may change. A route or form added later
// is probed without editing this file; a route no crawl reaches fails the last test.
import { openCore, openTenant } from '@mamori/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, routeKey, unchangedBody, type CrawledForm, type CrawlResult } from './crawl.ts';
import { get, postForm, signInCookie } from './http.ts';
import { listRoutes, urlPattern } from './routes.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const CITIES = [
	{ slug: 'meguro', prefecture: '13' },
	{ slug: 'koganei', prefecture: '13' },
	{ slug: 'tomakomai', prefecture: '01' }
] as const;
const OFFICIALS = { '13': 'official@tokyo.example', '01': 'official@hokkaido.example' } as const;
const OPERATOR = 'operator@mamori.example';
/** Each probe set sends hundreds of requests: room for a machine busy with the other file beside it. */
const PROBES_TIMEOUT_MS = 300_000;
const SLUGS = CITIES.map((c) => c.slug);
/** Routes reached by a mailed link or shown in place of a refused page, never by a link. */
const NOT_LINKED = [
	'/invite/[token=token]',
	'/reset-password/[token=token]',
	'/denied',
	'/logout',
	// A document for tools, public: the export page prints its address (not a page to crawl).
	'/export-format.schema.json',
	// The baseline page of `npm run bench`: outside the bench's stack (MAMORI_BENCH=1) it is a 404.
	'/bench/baseline'
];
/** A link whose token is the credential (an invitation in the outbox) is no one's page to probe. */
const skip = (url: URL) => routeKey(url).includes('[token]');
/** Written by signing in, which the probes' own set-up does. */
const CORE_TABLES_THAT_SIGN_IN_WRITES = ['sessions', 'login_throttles'];

/** Who is refused: signed in as `email` (read when probing), or anonymous without one. */
type Refuser = { who: string; email?: string; as?: (path: string) => string };
type Database = { execute(sql: string): Promise<{ rows: Record<string, unknown>[] }> };

/** Every table's rows, order-independent: equal dumps mean nothing was written. */
async function dump(db: Database, except: string[] = []): Promise<Record<string, string>> {
	const { rows } = await db.execute(
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	);
	const out: Record<string, string> = {};
	for (const name of rows.map((r) => String(r.name)).filter((n) => !except.includes(n))) {
		const table = await db.execute(`SELECT * FROM "${name.replace(/"/g, '""')}"`);
		const lines = table.rows.map((row) =>
			JSON.stringify(Object.values(row), (_, v) =>
				v instanceof ArrayBuffer ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? String(v) : v
			)
		);
		out[name] = `${lines.length} rows: ${lines.sort().join('\n')}`;
	}
	return out;
}

/** A refusal: 403, 404, or a redirect to sign-in. */
function refused(response: Response): boolean {
	if (response.status === 403 || response.status === 404) return true;
	const location = response.headers.get('location');
	return (
		response.status >= 300 && response.status < 400 && !!location && new URL(location, 'http://x').pathname === '/login'
	);
}

/**
 * A refusal of __data.json: as above, or SvelteKit's 200 whose last node (the refused load's) is an
 * error node with 403 or 404, so that no data of that load or below it is sent.
 */
async function refusedData(response: Response): Promise<boolean> {
	if (refused(response)) return true;
	if (response.status !== 200) return false;
	const body = (await response.json()) as { type: string; location?: string; nodes?: unknown[] };
	if (body.type === 'redirect') return new URL(body.location ?? '', 'http://x').pathname === '/login';
	const last = body.nodes?.at(-1) as { type?: string; status?: number } | undefined;
	return body.type === 'data' && last?.type === 'error' && (last.status === 403 || last.status === 404);
}

const dataUrl = (path: string) => {
	const url = new URL(path, 'http://x');
	return `${url.pathname.replace(/\/$/, '')}/__data.json${url.search}`;
};

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
	const queue = [...items];
	await Promise.all(
		Array.from({ length: limit }, async () => {
			for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
		})
	);
}

describe('isolation: what a crawl finds for one user is refused to the others (running stack)', () => {
	const databases = {
		core: openCore({ url: coreUrl }).$client,
		...Object.fromEntries(
			SLUGS.map((slug) => [slug, openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` }).$client])
		)
	} as Record<string, Database & { close(): void }>;
	const cookies = new Map<string, string>();
	const publicRoutes = new Set<string>();
	const reached = new Set<string>();
	const totals = { pages: 0, forms: 0, downloads: 0, requests: 0 };
	let before: Record<string, Record<string, string>>;

	const snapshot = async () =>
		Object.fromEntries(
			await Promise.all(
				Object.entries(databases).map(async ([name, db]) => [
					name,
					await dump(db, name === 'core' ? CORE_TABLES_THAT_SIGN_IN_WRITES : [])
				])
			)
		);

	beforeAll(async () => {
		const emails = [...SLUGS.map((s) => `admin@${s}.example`), ...Object.values(OFFICIALS), OPERATOR];
		for (const email of emails) cookies.set(email, await signInCookie(appUrl, email));
		// What anyone may see: the pages an anonymous crawl from the top page gets with 200.
		const anonymous = await crawl(appUrl, { start: ['/', '/login'], key: (u) => routeKey(u, SLUGS) });
		for (const page of anonymous.pages)
			if (page.status === 200) publicRoutes.add(routeKey(new URL(page.url, appUrl), SLUGS));
		before = await snapshot();
	});
	afterAll(() => {
		console.log(
			`isolation probes: ${totals.requests} requests refused, over ${totals.pages} pages, ${totals.forms} forms ` +
				`and ${totals.downloads} downloads found by crawling; public (not probed): ${[...publicRoutes].join(', ')}`
		);
		for (const db of Object.values(databases)) db.close();
	});

	/**
	 * Probes what `found` (a crawl as its owner) holds. `area` says which pages are the owner's:
	 * those are refused to `refusers`; other non-public pages (the account page) to anonymous.
	 * `as` lets a refuser ask for the page the way it would (e.g. naming the owner's prefecture).
	 */
	async function probeAll(
		only: 'pages' | 'forms',
		found: CrawlResult,
		options: {
			tenants?: string[];
			area: (key: string) => boolean;
			refusers: Refuser[];
		}
	) {
		const failures: string[] = [];
		const probes: { what: string; send: () => Promise<Response>; data?: boolean }[] = [];
		const anonymous: Refuser = { who: 'anonymous' };
		const cookieOf = (r: Refuser) => {
			if (!r.email) return undefined;
			const cookie = cookies.get(r.email);
			if (!cookie) throw new Error(`${r.email} is not signed in`); // else the probe would be anonymous
			return cookie;
		};
		const keyOf = (path: string) => routeKey(new URL(path, appUrl), options.tenants ?? SLUGS);
		const refusersOf = (key: string) =>
			options.area(key) ? options.refusers : publicRoutes.has(key) ? [] : [anonymous];

		const pages = only === 'pages' ? found.pages.filter((p) => p.status === 200) : [];
		const downloads = only === 'pages' ? found.downloads : [];
		for (const page of pages) {
			reached.add(keyOf(page.url));
			for (const r of refusersOf(keyOf(page.url))) {
				const path = r.as?.(page.url) ?? page.url;
				probes.push({ what: `GET ${path} as ${r.who}`, send: () => get(appUrl, path, cookieOf(r)) });
				probes.push({
					what: `GET ${dataUrl(path)} as ${r.who}`,
					send: () => get(appUrl, dataUrl(path), cookieOf(r)),
					data: true
				});
			}
		}
		for (const path of downloads) {
			reached.add(keyOf(path));
			for (const r of refusersOf(keyOf(path))) {
				const asked = r.as?.(path) ?? path;
				probes.push({ what: `GET ${asked} (download) as ${r.who}`, send: () => get(appUrl, asked, cookieOf(r)) });
			}
		}
		// One form per route and action: the same form on every record adds nothing.
		const forms = new Map<string, CrawledForm>();
		for (const form of only === 'forms' ? found.forms : []) {
			const action = new URL(form.action, appUrl);
			const key = `${keyOf(form.action)}${action.search}`;
			if (!forms.has(key)) forms.set(key, form);
		}
		for (const form of forms.values()) {
			const fields = Object.fromEntries(unchangedBody(form));
			for (const r of refusersOf(keyOf(form.page))) {
				for (const enhanced of [false, true])
					probes.push({
						what: `POST ${form.action}${enhanced ? ' (enhanced)' : ''} as ${r.who}`,
						send: () => postForm(appUrl, form.action, fields, { cookie: cookieOf(r), enhanced })
					});
			}
		}

		await inParallel(probes, 4, async (probe) => {
			const response = await probe.send();
			const ok = probe.data ? await refusedData(response) : refused(response);
			await response.body?.cancel().catch(() => {});
			if (!ok) failures.push(`${probe.what}: ${response.status}`);
		});
		totals.pages += pages.length;
		totals.forms += forms.size;
		totals.downloads += downloads.length;
		totals.requests += probes.length;
		console.log(`  ${probes.length} probes: ${pages.length} pages, ${forms.size} forms, ${downloads.length} downloads`);
		expect(found.truncated).toEqual([]);
		expect(failures).toEqual([]);
		return { pages: pages.length, forms: forms.size, probes: probes.length };
	}

	/** One owner's crawl (in beforeAll), then its pages and its forms probed in two tests. */
	function owner(
		name: string,
		crawlAs: () => Parameters<typeof crawl>[1],
		options: Parameters<typeof probeAll>[2],
		least: { pages: number; forms: number; downloads?: number }
	) {
		describe(name, () => {
			let found: CrawlResult;
			beforeAll(async () => {
				found = await crawl(appUrl, crawlAs());
			});
			it(
				'its pages, their data and its downloads are refused',
				async () => {
					const counted = await probeAll('pages', found, options);
					// A crawl that finds nothing proves nothing.
					expect(counted.pages).toBeGreaterThanOrEqual(least.pages);
					expect(found.downloads.length).toBeGreaterThanOrEqual(least.downloads ?? 0);
				},
				PROBES_TIMEOUT_MS
			);
			it(
				'its forms, submitted as served, are refused',
				async () => {
					const counted = await probeAll('forms', found, options);
					expect(counted.forms).toBeGreaterThanOrEqual(least.forms);
				},
				PROBES_TIMEOUT_MS
			);
		});
	}

	for (const [i, city] of CITIES.entries()) {
		const other = CITIES[(i + 1) % CITIES.length]!.slug;
		owner(
			`${city.slug}, crawled as its admin, probed as admin@${other}, both officials and anonymous`,
			() => ({
				cookie: cookies.get(`admin@${city.slug}.example`),
				start: `/${city.slug}`,
				skip,
				key: (u) => routeKey(u, [city.slug])
			}),
			{
				tenants: [city.slug],
				area: (key) => key.startsWith('/[tenant]'),
				refusers: [
					{ who: `admin@${other}`, email: `admin@${other}.example` },
					...Object.values(OFFICIALS).map((email) => ({ who: email, email })),
					{ who: 'anonymous' }
				]
			},
			{ pages: 6, forms: 10 }
		);
	}

	const asTokyo = (path: string) => {
		const url = new URL(path, appUrl);
		url.searchParams.set('pref', '13');
		return url.pathname + url.search;
	};
	owner(
		'the benchmarks, crawled as the 東京都 official, probed as the 北海道 official asking for 東京都, a city and anonymous',
		() => ({ cookie: cookies.get(OFFICIALS['13']), start: '/benchmarks', skip, key: (u) => routeKey(u, SLUGS) }),
		{
			area: (key) => key.startsWith('/benchmarks'),
			refusers: [
				{ who: `${OFFICIALS['01']} asking for 東京都`, email: OFFICIALS['01'], as: asTokyo },
				{ who: 'admin@meguro', email: 'admin@meguro.example' },
				{ who: 'anonymous' }
			]
		},
		{ pages: 4, forms: 0, downloads: 1 }
	);

	owner(
		'the operator console, crawled as the operator, probed as a city, an official and anonymous',
		() => ({ cookie: cookies.get(OPERATOR), start: '/operator', skip, key: (u) => routeKey(u, SLUGS) }),
		{
			area: (key) => key.startsWith('/operator'),
			refusers: [
				{ who: 'admin@meguro', email: 'admin@meguro.example' },
				{ who: OFFICIALS['13'], email: OFFICIALS['13'] },
				{ who: 'anonymous' }
			]
		},
		{ pages: 2, forms: 3 }
	);

	it('nothing any probe sent was written, in any city or in the core database', async () => {
		expect(await snapshot()).toEqual(before);
	});

	it('every route of the app was reached by a crawl (or is public, or is only reached by mail)', () => {
		const routes = listRoutes().filter((r) => r.hasPage || r.endpoint);
		const asRegExp = (pattern: string) =>
			new RegExp(`^${pattern.replace(/\[[^\]]+\]/g, '[^/]+').replace(/\//g, '\\/')}$`);
		// A key belongs to the most specific route that matches it (static segments win).
		const covered = new Set<string>();
		for (const key of [...reached, ...publicRoutes]) {
			const matching = routes
				.map((r) => urlPattern(r.id))
				.filter((pattern) => asRegExp(pattern).test(key))
				.sort((a, b) => (a.match(/\[/g)?.length ?? 0) - (b.match(/\[/g)?.length ?? 0));
			if (matching[0]) covered.add(matching[0]);
		}
		const unreached = routes.map((r) => urlPattern(r.id)).filter((p) => !covered.has(p) && !NOT_LINKED.includes(p));
		expect(unreached, 'routes no crawl reached: link them, or say why in NOT_LINKED').toEqual([]);
	});
});
