// Injection and XSS payloads in every stored text field a form offers, rendered back in Chromium.
// The fields are found by crawling (edit-forms.ts findForms: each seed city as its admin, the
// console as the operator; forms.ts tells an edit form by its served fields): every visible text
// field and textarea of every edit form, one form per route and action. Each payload is saved in
// every such field of the form at once (one field at a time when the form refuses that), as a
// browser without JavaScript posts it; the answer (a refusal shows typed values back) and every
// page the crawls reach are read as served, and each page showing a payload is opened in Chromium
// with JavaScript, listening for dialogs. Nowhere may a payload run (no dialog, no flag set), add
// an element or a javascript: URL; it must read back as the text typed. Then every field is put
// back as it was. The payload × field count is printed.
//
// Fields that only a create form has (a comment on a task, a new initiative, record or KPI, a
// department's name, an invitation, an API token's name, a plan document's text to preview) are
// the crawls' entry forms (forms.ts), found and filled on a stack of their own: what they create
// cannot be put back as an edit can, and the other browser tests share theirs. Each payload goes
// into every text field of each form, posted as a browser without JavaScript posts it (the answer
// as served) and submitted in Chromium with JavaScript (the answer as the app renders it); then
// the form's page and every page the crawls reach are read as served and opened in Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from '../scripts/own-stack.ts';
import { launchBrowser } from './browser.ts';
import { crawl, routeKey, submitTarget } from './crawl.ts';
import { SEED_CITIES } from './dump.ts';
import {
	clickAndAnswer,
	CRAWLERS,
	findForms,
	openForm,
	postAsBrowser,
	servedNow,
	type FoundForm
} from './edit-forms.ts';
import { changedBody, isVisibleData, numeric, submitButton, type Change } from './forms.ts';
import { tags, type FormControl } from './html.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { appUrl } from './stack.ts';

/** The forms' routes with their text fields, as the suite prints what it fills. */
const fieldList = (forms: { route: string; form: FoundForm['form'] }[]) =>
	forms
		.map(
			(f) =>
				`${f.route} (${textFieldsOf(f.form.fields)
					.map((c) => c.control.name)
					.join(', ')})`
		)
		.join('; ');

/** Each runs `window.__xss = n` or alerts if it ever executes; each carries its marker as text. */
const PAYLOADS = [
	'XSS-1 <script>window.__xss=1;alert(1)</script>',
	'XSS-2 "><img src=x onerror="window.__xss=2;alert(2)" data-xss>',
	'XSS-3 \'><svg onload="window.__xss=3;alert(3)" data-xss><animate onbegin=alert(3) attributeName=x dur=1s>',
	'javascript:alert(4)//XSS-4',
	'XSS-5 <a href="javascript:window.__xss=5;alert(5)" data-xss>link</a>',
	'XSS-6 </textarea></title><script>window.__xss=6;alert(6)</script>',
	'XSS-7 ${window.__xss=7}{{constructor.constructor("alert(7)")()}}`${alert(7)}`',
	"XSS-8 '; DROP TABLE initiatives; -- \" OR 1=1 -- %27 \\' `",
	'XSS-9 <iframe srcdoc="<script>parent.__xss=9;parent.alert(9)</script>" data-xss></iframe>'
];
const MARKER = /XSS-\d/;

const STORED_TEXT = new Set(['text', 'search', 'url', 'tel', 'textarea']);
/** A field that keeps text a person typed: visible, text or textarea, not a number or a year. */
const storesText = (c: FormControl) => isVisibleData(c) && STORED_TEXT.has(c.type) && !numeric(c);

/** Each control's position among the form's controls of its name (forms.ts Change.nth). */
function withPositions(fields: FormControl[]): { control: FormControl; nth: number }[] {
	const seen = new Map<string, number>();
	return fields.map((control) => {
		const nth = seen.get(control.name) ?? 0;
		seen.set(control.name, nth + 1);
		return { control, nth };
	});
}

const textFieldsOf = (fields: FormControl[]) => withPositions(fields).filter(({ control }) => storesText(control));
const change = ({ control, nth }: { control: FormControl; nth: number }, value: string): Change => ({
	name: control.name,
	nth,
	element: control.element,
	type: control.type,
	value
});

/** What served HTML must never hold: an element a payload added, a script of a payload, a javascript: URL. */
function injectedIn(html: string): string[] {
	const found: string[] = [];
	for (const tag of tags(html)) {
		if (tag.closing) continue;
		if (tag.attrs.has('data-xss')) found.push(`<${tag.name} data-xss>`);
		for (const attr of ['href', 'src', 'action', 'formaction'])
			if (/^\s*javascript:/i.test(tag.attrs.get(attr) ?? '')) found.push(`<${tag.name} ${attr}=javascript:…>`);
		// SvelteKit's own script carries the payloads as data (devalue escapes their `<`): only a
		// script that is a payload's counts.
		if (tag.name === 'script' && /^\s*window\.__xss=/.test(tag.text)) found.push('<script> of a payload');
	}
	return found;
}

/** Whether anything a payload did shows on the page in Chromium; and the page's text and field values. */
async function renderedIn(page: Page) {
	const seen = await page.evaluate(() => {
		const urls = [...document.querySelectorAll('[href], [src], [action], [formaction]')].filter((e) =>
			['href', 'src', 'action', 'formaction'].some((a) => /^\s*javascript:/i.test(e.getAttribute(a) ?? ''))
		);
		const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map(
			(e) => e.value
		);
		return {
			flag: (window as { __xss?: unknown }).__xss ?? null,
			injected: document.querySelectorAll('[data-xss], iframe[srcdoc]').length,
			javascriptUrls: urls.length,
			text: [document.body.innerText, ...values].join('\n')
		};
	});
	const { text, ...ran } = seen;
	return { ran, text };
}
const NOTHING_RAN = { flag: null, injected: 0, javascriptUrls: 0 };

/** Records the dialogs a payload opens (alert(n)); the app's own confirmations are accepted. */
function listenForDialogs(page: Page, dialogs: string[]) {
	page.on('dialog', (dialog) => {
		if (dialog.type() === 'confirm' && !/^\d$/.test(dialog.message())) return void dialog.accept();
		dialogs.push(`${page.url()}: ${dialog.type()} ${dialog.message()}`);
		void dialog.dismiss();
	});
}

/** A page as served (signed in as `email`): the payloads it holds must be text, never markup. */
async function servedPage(appUrl: string, email: string, url: string) {
	const response = await fetch(new URL(url, appUrl), {
		headers: { accept: 'text/html', cookie: await sessionCookie(appUrl, email) }
	});
	return { status: response.status, html: await response.text() };
}

/**
 * Every page the crawls of `appUrl` reach (as the accounts in `emails`), as served and in
 * Chromium: none holds a payload as markup, none runs one. Answers the payloads read back as text.
 */
async function crawledPagesShowText(
	appUrl: string,
	browser: Browser,
	emails: Set<string>,
	dialogs: string[],
	count: { answers: number; rendered: number }
) {
	const shown = new Set<string>();
	for (const crawler of CRAWLERS.filter((c) => emails.has(c.email))) {
		const result = await crawl(appUrl, {
			cookie: await sessionCookie(appUrl, crawler.email),
			start: crawler.start,
			skip: (url) => routeKey(url).includes('[token]'),
			key: (u) => routeKey(u, [...SEED_CITIES])
		});
		const showing: string[] = [];
		for (const page of result.pages.filter((p) => p.status === 200)) {
			const { html } = await servedPage(appUrl, crawler.email, page.url);
			count.answers += 1;
			expect(injectedIn(html), `${page.url} as ${crawler.email}, as served`).toEqual([]);
			if (MARKER.test(html)) showing.push(page.url);
		}
		const context = await signedInContext(browser, appUrl, crawler.email);
		try {
			for (const url of showing) {
				const page: Page = await context.newPage();
				listenForDialogs(page, dialogs);
				await page.goto(new URL(url, appUrl).href);
				const { ran, text } = await renderedIn(page);
				count.rendered += 1;
				expect(ran, url).toEqual(NOTHING_RAN);
				for (const payload of PAYLOADS) if (text.includes(payload)) shown.add(payload);
				await page.close();
			}
		} finally {
			await context.close();
		}
	}
	return shown;
}

// One edit form per route and action: the same form in another city adds no field.
const found = await findForms(appUrl);
const targets = [...new Map(found.filter((f) => f.kind === 'edit').map((f) => [f.route, f])).values()].filter(
	(f) => textFieldsOf(f.form.fields).length > 0
);
const fieldCount = targets.reduce((n, f) => n + textFieldsOf(f.form.fields).length, 0);

describe('stored injection and XSS payloads are shown as text, never run (Chromium, dialogs listened for)', () => {
	let browser: Browser;
	/** Payload × field: stored (read back from the form as served) or refused by the form. */
	const outcome = { stored: 0, refused: 0 };
	let answered = 0;

	beforeAll(async () => {
		browser = await launchBrowser();
	});

	afterAll(async () => {
		// Every field back as it was, so the other tests find the seed as they expect it.
		for (const f of targets) {
			const form = await servedNow(appUrl, f);
			const original = textFieldsOf(f.form.fields);
			const changes = textFieldsOf(form.fields).map((field, i) => change(field, original[i]!.control.value));
			const submitter = submitButton(form);
			const answer = await postAsBrowser(
				appUrl,
				f,
				submitTarget(form, submitter),
				changedBody(form.fields, changes, submitter)
			);
			if (![200, 303].includes(answer.status)) console.error(`could not put back ${f.route}: ${answer.status}`);
		}
		await browser?.close();
		console.log(
			`XSS payloads: ${PAYLOADS.length} payloads × ${fieldCount} stored text fields of ${targets.length} edit forms = ` +
				`${PAYLOADS.length * fieldCount} (stored ${outcome.stored}, refused by the form ${outcome.refused}); ` +
				`${answered} answers and pages read as served, ${rendered} pages rendered in Chromium, no dialog`
		);
	});
	let rendered = 0;

	it('the crawls find stored text fields in edit forms of a city and of the console', () => {
		console.log(`XSS targets: ${fieldList(targets)}`);
		expect(targets.some((f) => f.route.startsWith('/[tenant]/initiatives'))).toBe(true);
		expect(fieldCount).toBeGreaterThanOrEqual(10);
	});

	/** Saves `value` in `fields` of the form; answers which of them now hold it, as served. */
	async function save(f: FoundForm, which: (fields: ReturnType<typeof textFieldsOf>) => typeof fields, value: string) {
		const form = await servedNow(appUrl, f);
		const submitter = submitButton(form);
		const changes = which(textFieldsOf(form.fields)).map((field) => change(field, value));
		const answer = await postAsBrowser(
			appUrl,
			f,
			submitTarget(form, submitter),
			changedBody(form.fields, changes, submitter)
		);
		expect(answer.status, `${f.route} ${changes.map((c) => c.name).join(',')}`).toBeLessThan(500);
		expect(injectedIn(answer.html), `the answer to ${f.route}`).toEqual([]);
		answered += 1;
		const now = textFieldsOf((await servedNow(appUrl, f)).fields);
		return changes.filter(
			(c) => now.find((n) => n.control.name === c.name && n.nth === c.nth)?.control.value === value
		);
	}

	it('every payload in every field: stored as typed or refused; no answer carries it as markup', async () => {
		for (const f of targets) {
			const all = textFieldsOf(f.form.fields).length;
			// The fields that took the last payload: one refused field refuses the whole form, so a
			// field that refuses markup (a code, a year) is tried on its own, not with the others.
			let taking = [...Array(all).keys()];
			for (const payload of PAYLOADS) {
				let stored = await save(f, (fields) => fields.filter((_, i) => taking.includes(i)), payload);
				if (stored.length === 0 && all > 1)
					for (let i = 0; i < all; i++) stored = [...stored, ...(await save(f, (fields) => [fields[i]!], payload))];
				const held = textFieldsOf(f.form.fields)
					.map((field, i) => ({ field, i }))
					.filter(({ field }) => stored.some((c) => c.name === field.control.name && c.nth === field.nth))
					.map(({ i }) => i);
				taking = held.length > 0 ? held : taking;
				outcome.stored += held.length;
				outcome.refused += all - held.length;
			}
		}
		// Every payload is stored somewhere (the next test finds each shown as text).
		expect(outcome.stored).toBeGreaterThan(0);
	}, 600_000);

	it('every page the crawls reach, as served and in Chromium: the payloads shown as text, none run', async () => {
		const dialogs: string[] = [];
		const count = { answers: 0, rendered: 0 };
		const shown = await crawledPagesShowText(appUrl, browser, new Set(targets.map((f) => f.email)), dialogs, count);
		answered += count.answers;
		rendered += count.rendered;
		expect(dialogs).toEqual([]);
		// Each payload reads back as the very text typed on some page.
		expect([...shown].sort()).toEqual([...PAYLOADS].sort());
	}, 300_000);
});

describe('create forms (a stack of their own): the payloads in fields only they have are shown as text, never run', () => {
	let stack: OwnStack;
	let browser: Browser;
	const outcome = { forms: 0, fields: 0, accepted: 0, refused: 0, answers: 0, rendered: 0 };

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startOwnStack({}), launchBrowser()]);
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
		if (outcome.forms > 0)
			console.log(
				`XSS payloads in create forms: ${PAYLOADS.length} payloads × ${outcome.fields} text fields of ${outcome.forms} create forms = ` +
					`${PAYLOADS.length * outcome.fields}, each form posted ${PAYLOADS.length} times without JavaScript and ` +
					`${PAYLOADS.length} times in Chromium (accepted ${outcome.accepted}, refused ${outcome.refused}); ` +
					`${outcome.answers} answers and pages read as served, ${outcome.rendered} pages rendered in Chromium, no dialog`
			);
	});

	/** The form with `payload` in every text field, a fresh address in every empty e-mail field (an invitation). */
	let addresses = 0;
	function filled(fields: FormControl[], payload: string): Change[] {
		const emails = withPositions(fields)
			.filter(({ control }) => isVisibleData(control) && control.type === 'email' && control.value === '')
			.map((field) => change(field, `xss-${++addresses}@example.invalid`));
		return [...textFieldsOf(fields).map((field) => change(field, payload)), ...emails];
	}

	it('every payload in every text field of every create form, without JavaScript and in Chromium; then every page', async () => {
		const appUrl = stack.url;
		// One create form per route and action, of those that take text.
		const entries = [
			...new Map(
				(await findForms(appUrl)).filter((f) => f.kind === 'entry').map((f) => [`${f.email} ${f.route}`, f])
			).values()
		].filter((f) => textFieldsOf(f.form.fields).length > 0);
		const creates = [...new Map(entries.map((f) => [f.route, f])).values()];
		console.log(`XSS create-form targets: ${fieldList(creates)}`);
		outcome.forms = creates.length;
		outcome.fields = creates.reduce((n, f) => n + textFieldsOf(f.form.fields).length, 0);
		// The fields the issue names: a department's name, a new initiative, an API token's name, a plan document's text.
		for (const route of [
			'/[tenant]/departments',
			'/[tenant]/initiatives',
			'/[tenant]/api-tokens',
			'/[tenant]/import/document'
		])
			expect(
				creates.map((f) => f.route).some((r) => r.startsWith(route)),
				route
			).toBe(true);

		const dialogs: string[] = [];
		for (const f of creates) {
			// Without JavaScript: the answer as served (a refusal shows the typed values back; a preview, what it read).
			for (const payload of PAYLOADS) {
				const form = await servedNow(appUrl, f);
				const submitter = submitButton(form);
				const answer = await postAsBrowser(
					appUrl,
					f,
					submitTarget(form, submitter),
					changedBody(form.fields, filled(form.fields, payload), submitter)
				);
				expect(answer.status, `${f.route}: ${payload}`).toBeLessThan(500);
				expect(injectedIn(answer.html), `the answer to ${f.route}`).toEqual([]);
				outcome.answers += 1;
				const location = answer.status === 303 ? answer.location : null;
				if (location) {
					const served = await servedPage(appUrl, f.email, location);
					expect(injectedIn(served.html), `${location}, where ${f.route} led`).toEqual([]);
					outcome.answers += 1;
				}
			}
			// In Chromium with JavaScript: each payload typed and submitted, the answer as the app renders it.
			const context = await signedInContext(browser, appUrl, f.email);
			try {
				const page = await context.newPage();
				listenForDialogs(page, dialogs);
				const pages = new Set([f.form.page]);
				for (const payload of PAYLOADS) {
					// The form's page afresh each time: after an answer the app re-renders it (a new row, a new form).
					const form = await openForm(page, appUrl, f);
					const served = await servedNow(appUrl, f);
					for (const c of filled(served.fields, payload))
						await form
							.locator(`[name="${c.name.replace(/["\\]/g, '\\$&')}"]`)
							.nth(c.nth)
							.fill(c.value, { force: true }); // a field the page shows only on a choice is still filled
					// The browser itself refuses a form its own checks fail (a file it needs, a pattern):
					// nothing is sent, and what was typed stays in the page, rendered.
					if (!(await form.evaluate((element) => (element as HTMLFormElement).checkValidity()))) {
						outcome.refused += 1;
						const { ran } = await renderedIn(page);
						outcome.rendered += 1;
						expect(ran, `${page.url()}, ${f.route} refused by the browser`).toEqual(NOTHING_RAN);
						continue;
					}
					const target = submitTarget(served, submitButton(served));
					const answered = page.waitForResponse(
						(r) => r.request().method() === 'POST' && new URL(r.url()).pathname + new URL(r.url()).search === target
					);
					answered.catch(() => {}); // awaited only for a redirect
					const type = await clickAndAnswer(page, form, target);
					expect(type, `${f.route} in Chromium`).toMatch(/^(success|failure|redirect)$/);
					if (type === 'redirect') {
						// The app goes where the action said, once that page is loaded.
						const { location } = (await (await answered).json()) as { location: string };
						const to = new URL(location, page.url());
						await page.waitForURL((u) => u.pathname + u.search === to.pathname + to.search);
					}
					if (type === 'failure') outcome.refused += 1;
					else outcome.accepted += 1;
					const { ran } = await renderedIn(page);
					outcome.rendered += 1;
					expect(ran, `${page.url()} after ${f.route}`).toEqual(NOTHING_RAN);
					pages.add(new URL(page.url()).pathname + new URL(page.url()).search);
				}
				// What was created, as served and rendered after a reload: the form's page and where the form led.
				for (const url of pages) {
					const served = await servedPage(appUrl, f.email, url);
					outcome.answers += 1;
					expect(injectedIn(served.html), `${url}, as served`).toEqual([]);
					await page.goto(new URL(url, appUrl).href);
					const { ran } = await renderedIn(page);
					outcome.rendered += 1;
					expect(ran, url).toEqual(NOTHING_RAN);
				}
			} finally {
				await context.close();
			}
		}
		// And every page the crawls reach now, with what the create forms made.
		const shown = await crawledPagesShowText(appUrl, browser, new Set(creates.map((f) => f.email)), dialogs, outcome);
		expect(dialogs).toEqual([]);
		expect([...shown].sort()).toEqual([...PAYLOADS].sort());
	}, 1_200_000);
});
