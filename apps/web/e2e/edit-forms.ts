// Finds the edit forms of the running stack by crawling (see forms.ts for the rule), and submits
// them: over plain HTTP as a browser without JavaScript does, or in Chromium with JavaScript.
import type { Browser, Locator, Page } from 'playwright-core';
import { crawl, crawledForms, routeKey, submitTarget, unchangedBody, type CrawledForm } from './crawl.ts';
import { linksAndForms } from './html.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { SEED_CITIES } from './dump.ts';
import { kindOf, sameForm, submitButton, type FormKind } from './forms.ts';
import { untilEnhanced } from './browser.ts';

export interface FoundForm {
	/** The account that found it, and submits it (allowed to: the crawl saw the form). */
	email: string;
	kind: FormKind;
	/** Route and action, e.g. "/[tenant]/departments ?/rename" */
	route: string;
	form: CrawledForm;
	/** How many forms of this route and action the crawl saw (one per record); the first is tested. */
	seen: number;
}

/** Who crawls what: each seed city as its admin (with the account page), the console as the operator. */
export const CRAWLERS = [
	...SEED_CITIES.map((slug) => ({ email: `admin@${slug}.example`, start: [`/${slug}`, '/account'] })),
	{ email: 'operator@mamori.example', start: ['/operator', '/account'] }
];

/** A link whose token is the credential (an invitation in the outbox) is no page to crawl. */
const skip = (url: URL) => routeKey(url).includes('[token]');

/**
 * Every POST form the crawls find, one per account, route and action (the same form on every
 * record adds nothing), classified; prints the classification.
 */
/** The edit forms among them (forms.ts tells the kinds apart). */
export async function findEditForms(appUrl: string): Promise<FoundForm[]> {
	await enterOneKpiValue(appUrl);
	return (await findForms(appUrl)).filter((f) => f.kind === 'edit');
}

/**
 * The seed documents give targets, not yearly KPI values, so no value's edit form exists until a
 * value is entered. One is, as a user without JavaScript would: through the entry form of the first
 * KPI page of 目黒区, once (a later call finds the value there and enters none).
 */
async function enterOneKpiValue(appUrl: string): Promise<void> {
	const email = 'admin@meguro.example';
	const cookie = await sessionCookie(appUrl, email);
	const page = async (path: string) => {
		const url = new URL(path, appUrl);
		const response = await fetch(url, { headers: { accept: 'text/html', cookie } });
		if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
		return { url, ...linksAndForms(await response.text()) };
	};
	const list = await page('/meguro/kpis');
	const first = list.links
		.map((l) => new URL(l.href, list.url))
		.find((u) => /^\/meguro\/kpis\/[^/]+$/.test(u.pathname));
	if (!first) throw new Error('目黒区 has no KPI page to enter a value on');
	const kpi = await page(first.pathname);
	const forms = crawledForms(kpi.forms, kpi.url);
	if (forms.some((f) => f.action.endsWith('?/updateValue'))) return;
	const entry = forms.find((f) => f.action.endsWith('?/setValue'));
	if (!entry) throw new Error(`${first.pathname} offers no value entry to ${email}`);
	const body = unchangedBody(entry);
	body.set('periodYear', '2024');
	body.set('value', '1');
	const url = new URL(entry.action, appUrl);
	const answer = await fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: url.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
		body
	});
	if (![200, 303].includes(answer.status)) throw new Error(`entering a KPI value: ${answer.status}`);
}

export async function findForms(appUrl: string): Promise<FoundForm[]> {
	const found = new Map<string, FoundForm>();
	for (const crawler of CRAWLERS) {
		const result = await crawl(appUrl, {
			cookie: await sessionCookie(appUrl, crawler.email),
			start: crawler.start,
			skip,
			key: (u) => routeKey(u, [...SEED_CITIES])
		});
		if (result.truncated.length > 0) throw new Error(`crawl as ${crawler.email} truncated`);
		for (const form of result.forms) {
			const action = new URL(form.action, appUrl);
			const route = `${routeKey(action, [...SEED_CITIES])} ${action.search}`;
			const key = `${crawler.email} ${route}`;
			const known = found.get(key);
			if (known) known.seen += 1;
			else found.set(key, { email: crawler.email, kind: kindOf(form), route, form, seen: 1 });
		}
	}
	const forms = [...found.values()];
	const byKind = (kind: FormKind) => forms.filter((f) => f.kind === kind);
	console.log(
		`forms found by crawling (per account, route and action): ${forms.length}\n` +
			(['edit', 'entry', 'button'] as const)
				.map(
					(kind) =>
						`  ${kind} (${byKind(kind).length}):\n` +
						byKind(kind)
							.map((f) => `    ${f.email.padEnd(26)} ${f.route}${f.seen > 1 ? ` (×${f.seen})` : ''}`)
							.join('\n')
				)
				.join('\n')
	);
	return forms;
}

/** The form as the page serves it now (fresh ids and version), found by action and hidden ids. */
export async function servedNow(appUrl: string, found: FoundForm): Promise<CrawledForm> {
	const url = new URL(found.form.page, appUrl);
	const response = await fetch(url, {
		headers: { accept: 'text/html', cookie: await sessionCookie(appUrl, found.email) }
	});
	if (response.status !== 200) throw new Error(`GET ${found.form.page}: ${response.status}`);
	const forms = crawledForms(linksAndForms(await response.text()).forms, url);
	const form = forms.find((f) => sameForm(f, found.form)) ?? forms.find((f) => f.action === found.form.action);
	if (!form) throw new Error(`${found.form.page} no longer has a form posting to ${found.form.action}`);
	return form;
}

/** Posts `body` as a browser without JavaScript does (same Origin, text/html answer, no redirects followed). */
export async function postAsBrowser(
	appUrl: string,
	found: FoundForm,
	target: string,
	body: URLSearchParams
): Promise<{ status: number; html: string; url: URL; location: string | null }> {
	const url = new URL(target, appUrl);
	const response = await fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: new URL(appUrl).origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			cookie: await sessionCookie(appUrl, found.email)
		},
		body
	});
	return { status: response.status, html: await response.text(), url, location: response.headers.get('location') };
}

/** Opens the form's page and waits until the app has hydrated; returns the form in the DOM. */
export async function openForm(page: Page, appUrl: string, found: FoundForm): Promise<Locator> {
	const response = await page.goto(new URL(found.form.page, appUrl).href);
	if (response?.status() !== 200) throw new Error(`GET ${found.form.page}: ${response?.status()}`);
	return domForm(page, found);
}

/**
 * Runs `use` on the form's page, with JavaScript, in a fresh context signed in as the account
 * that found it, once the app has hydrated (confirm dialogs are accepted); then closes it.
 * `submit` clicks the form's submit button and answers the ActionResult's type (clickAndAnswer).
 */
export async function withFormPage(
	browser: Browser,
	appUrl: string,
	found: FoundForm,
	use: (page: Page, form: Locator, submit: () => Promise<string>) => Promise<void>
): Promise<void> {
	const context = await signedInContext(browser, appUrl, found.email);
	try {
		const page = await context.newPage();
		page.on('dialog', (d) => void d.accept());
		const form = await openForm(page, appUrl, found);
		await use(page, form, () => clickAndAnswer(page, form, submitTarget(found.form, submitButton(found.form))));
	} finally {
		await context.close();
	}
}

/** The DOM form posting to the same action with the same hidden ids as the crawled one. */
export async function domForm(page: Page, found: FoundForm): Promise<Locator> {
	const identity = found.form.fields
		.filter((c) => c.type === 'hidden' && c.name && c.name !== 'version' && !c.disabled)
		.map((c) => [c.name, c.value]);
	const index = await page.evaluate(
		({ action, identity }) =>
			Array.from(document.forms).findIndex((form) => {
				const url = new URL(form.getAttribute('action') ?? '', location.href);
				if (url.origin !== location.origin || url.pathname + url.search !== action) return false;
				const hidden = Array.from(form.elements)
					.filter((e): e is HTMLInputElement => e instanceof HTMLInputElement && e.type === 'hidden')
					.filter((e) => e.name && e.name !== 'version' && !e.disabled)
					.map((e) => [e.name, e.value]);
				return JSON.stringify(hidden) === JSON.stringify(identity);
			}),
		{ action: found.form.action, identity }
	);
	if (index < 0) throw new Error(`no form posting to ${found.form.action} on ${page.url()}`);
	const form = page.locator('form').nth(index);
	// A form folded in a disclosure (a member's role and departments) is opened as its user would,
	// once the app has run its effects (before, Svelte would set the disclosure back as rendered).
	await untilEnhanced(form);
	await form.evaluate((element) => {
		for (let d = element.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
	});
	return form;
}

/** The form's submit button (the first without a formaction). */
export const submitButtonIn = (form: Locator) =>
	form.locator(':is(button:not([type]), button[type=submit], input[type=submit]):not([formaction])').first();

/**
 * Clicks the submit button and waits for the action's answer (the enhanced POST to `target`):
 * the ActionResult's type (success, failure, redirect, error).
 */
export async function clickAndAnswer(page: Page, form: Locator, target: string): Promise<string> {
	const answered = page.waitForResponse((r) => {
		if (r.request().method() !== 'POST') return false;
		const url = new URL(r.url());
		return url.pathname + url.search === target;
	});
	await untilEnhanced(form);
	await submitButtonIn(form).click();
	const response = await answered;
	const text = await response.text();
	try {
		return String((JSON.parse(text) as { type?: string }).type);
	} catch {
		// Say how it was sent: a native submission (no x-sveltekit-action) means the form was not enhanced.
		const enhanced = (await response.request().allHeaders())['x-sveltekit-action'] === 'true';
		return `HTTP ${response.status()} (not an ActionResult; ${enhanced ? 'enhanced' : 'native'} submission)`;
	}
}

export { submitTarget };
