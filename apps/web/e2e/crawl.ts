// Follows the links a signed-in user can see, breadth-first from a start page, over plain HTTP
// (the server-rendered HTML: what a browser without JavaScript gets), and collects every page
// and every POST form on them. Tests derive what to probe from this, so a route or a form added
// later is covered without editing them.
import { linksAndForms, submission, type Form, type FormControl, type Link } from './html.ts';

export interface CrawledForm {
	/** The page the form is on (path and query). */
	page: string;
	/** Where it posts (path and query), resolved against the page as the browser would. */
	action: string;
	method: 'get' | 'post';
	enctype: string;
	/** Its position among all the page's forms (GET ones included), in document order. */
	index?: number;
	/** Every control as served: name, type, value, checked boxes, selected options, textarea text. */
	fields: FormControl[];
}

export interface CrawledPage {
	/** Path and query. */
	url: string;
	status: number;
	/** Where a redirect pointed (path and query when same-origin). */
	location?: string;
	/** Same-origin links found on it (path and query), in document order. */
	links: string[];
	/** Its POST forms (sign-out excluded). */
	forms: CrawledForm[];
	/** Its same-origin GET forms (filters, search, language), recorded, not submitted. */
	getForms?: CrawledForm[];
}

export interface CrawlOptions {
	/** Cookies to send, as a Cookie header (e.g. from signInCookie). Updated from Set-Cookie. */
	cookie?: string;
	/** Where to start (paths). */
	start: string | string[];
	/** The most pages to fetch (default 200): the crawl stops there and says so in `truncated`. */
	maxPages?: number;
	/**
	 * Pages with the same key are fetched once (the first found). By default the path and query;
	 * pass `routeKey` (below) to fetch one page per route, not one per record.
	 */
	key?: (url: URL) => string;
	/** Links not to follow: by default sign-out; add your own. Downloads are never fetched. */
	skip?: (url: URL) => boolean;
}

export interface CrawlResult {
	pages: CrawledPage[];
	/** Every POST form on every page (sign-out excluded), in the order found. */
	forms: CrawledForm[];
	/** Links to downloads (a `download` attribute, CSV), recorded, not fetched. */
	downloads: string[];
	/** Pages not fetched because maxPages was reached. */
	truncated: string[];
}

const SIGN_OUT = /^\/logout\/?$/;

export const isSignOut = (url: URL): boolean => SIGN_OUT.test(url.pathname);

export function isDownload(link: Pick<Link, 'download'>, url: URL): boolean {
	return link.download || /\.csv$/i.test(url.pathname) || /\/csv(\/|$)/.test(url.pathname);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[a-z0-9]{16,}\.[a-z0-9]{16,}$/i;

/**
 * A URL as its route pattern: record ids and tokens become [id] / [token], `tenant` (a slug)
 * becomes [tenant], and the query is dropped (so /meguro/initiatives/0190… → /[tenant]/initiatives/[id]).
 */
export function routeKey(url: URL, tenants: readonly string[] = []): string {
	const segments = url.pathname.split('/').map((segment, i) => {
		if (i === 1 && tenants.includes(segment)) return '[tenant]';
		if (UUID.test(segment)) return '[id]';
		if (TOKEN.test(segment)) return '[token]';
		return segment;
	});
	return segments.join('/') || '/';
}

const pathOf = (url: URL) => url.pathname + url.search;

class CookieJar {
	private readonly cookies = new Map<string, string>();
	constructor(header = '') {
		for (const part of header.split(';')) {
			const eq = part.indexOf('=');
			if (eq > 0) this.cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
		}
	}
	update(response: Response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const eq = pair!.indexOf('=');
			if (eq <= 0) continue;
			const name = pair!.slice(0, eq).trim();
			const value = pair!.slice(eq + 1).trim();
			const expired = attributes.some((a) => {
				const [k, v] = a.split('=').map((s) => s.trim().toLowerCase());
				return (k === 'max-age' && Number(v) <= 0) || (k === 'expires' && Date.parse(v ?? '') < Date.now());
			});
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
	header(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}
}

/** Crawls `appUrl` as the holder of `options.cookie`. */
export async function crawl(appUrl: string, options: CrawlOptions): Promise<CrawlResult> {
	const origin = new URL(appUrl).origin;
	const jar = new CookieJar(options.cookie);
	const maxPages = options.maxPages ?? 200;
	const key = options.key ?? pathOf;
	const skip = (url: URL) => isSignOut(url) || (options.skip?.(url) ?? false);
	const result: CrawlResult = { pages: [], forms: [], downloads: [], truncated: [] };

	const seen = new Set<string>();
	const downloads = new Set<string>();
	const queue: URL[] = [];
	const enqueue = (url: URL) => {
		if (url.origin !== origin || skip(url)) return;
		url.hash = '';
		const k = key(url);
		if (seen.has(k)) return;
		seen.add(k);
		queue.push(url);
	};
	for (const start of [options.start].flat()) enqueue(new URL(start, origin));

	while (queue.length > 0) {
		const url = queue.shift()!;
		if (result.pages.length >= maxPages) {
			result.truncated.push(pathOf(url));
			continue;
		}
		const response = await fetch(url, {
			redirect: 'manual',
			headers: { accept: 'text/html', cookie: jar.header() }
		});
		jar.update(response);
		const page: CrawledPage = { url: pathOf(url), status: response.status, links: [], forms: [] };
		result.pages.push(page);
		const location = response.headers.get('location');
		if (location) {
			const target = new URL(location, url);
			page.location = target.origin === origin ? pathOf(target) : target.href;
			enqueue(target);
		}
		if (!(response.headers.get('content-type') ?? '').includes('text/html')) {
			await response.body?.cancel();
			continue;
		}
		const { links, forms } = linksAndForms(await response.text());
		for (const link of links) {
			let target: URL;
			try {
				target = new URL(link.href, url);
			} catch {
				continue; // not a URL (e.g. a template left in an attribute)
			}
			if (target.origin !== origin || !/^https?:$/.test(target.protocol)) continue;
			page.links.push(pathOf(target));
			if (isDownload(link, target)) downloads.add(pathOf(target));
			else enqueue(target);
		}
		page.getForms = [];
		for (const crawled of crawledForms(forms, url)) {
			if (crawled.method === 'get') {
				page.getForms.push(crawled);
				continue;
			}
			page.forms.push(crawled);
			result.forms.push(crawled);
		}
	}
	result.downloads = [...downloads];
	return result;
}

/**
 * The same-origin forms of a page (parsed with html.ts `linksAndForms`) as the crawl records them:
 * actions resolved against `url`, sign-out left out.
 */
export function crawledForms(forms: Form[], url: URL): CrawledForm[] {
	const out: CrawledForm[] = [];
	for (const [index, form] of forms.entries()) {
		const action = new URL(form.action, url);
		if (action.origin !== url.origin || isSignOut(action)) continue;
		out.push({
			page: pathOf(url),
			action: pathOf(action),
			method: form.method,
			enctype: form.enctype,
			index,
			fields: form.controls
		});
	}
	return out;
}

/** The body the browser would post for `form` unchanged (see html.ts `submission`). */
export function unchangedBody(form: CrawledForm, submitter?: FormControl): URLSearchParams {
	return new URLSearchParams(submission({ controls: form.fields }, submitter));
}

/** Where a submit button of the form posts (its formaction, else the form's action). */
export function submitTarget(form: CrawledForm, submitter?: FormControl): string {
	if (submitter?.formaction === undefined) return form.action;
	const target = new URL(submitter.formaction || form.page, new URL(form.page, 'http://x'));
	return target.pathname + target.search;
}
