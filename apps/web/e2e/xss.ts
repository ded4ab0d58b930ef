// The payloads and checks the XSS suites share (xss.test.ts: edit forms; xss-create.test.ts: create
// forms): what a payload is, what served HTML and a rendered page must never hold, and every page
// the crawls reach, as served and in Chromium.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { crawl, routeKey } from './crawl.ts';
import { SEED_CITIES } from './dump.ts';
import { CRAWLERS, type FoundForm } from './edit-forms.ts';
import { isVisibleData, numeric, type Change } from './forms.ts';
import { tags, type FormControl } from './html.ts';
import { sessionCookie, signedInContext } from './session.ts';

/** The forms' routes with their text fields, as the suite prints what it fills. */
export const fieldList = (forms: { route: string; form: FoundForm['form'] }[]) =>
	forms
		.map(
			(f) =>
				`${f.route} (${textFieldsOf(f.form.fields)
					.map((c) => c.control.name)
					.join(', ')})`
		)
		.join('; ');

/** Each runs `window.__xss = n` or alerts if it ever executes; each carries its marker as text. */
export const PAYLOADS = [
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
export const MARKER = /XSS-\d/;

const STORED_TEXT = new Set(['text', 'search', 'url', 'tel', 'textarea']);
/** A field that keeps text a person typed: visible, text or textarea, not a number or a year. */
const storesText = (c: FormControl) => isVisibleData(c) && STORED_TEXT.has(c.type) && !numeric(c);

/** Each control's position among the form's controls of its name (forms.ts Change.nth). */
export function withPositions(fields: FormControl[]): { control: FormControl; nth: number }[] {
	const seen = new Map<string, number>();
	return fields.map((control) => {
		const nth = seen.get(control.name) ?? 0;
		seen.set(control.name, nth + 1);
		return { control, nth };
	});
}

export const textFieldsOf = (fields: FormControl[]) =>
	withPositions(fields).filter(({ control }) => storesText(control));
export const change = ({ control, nth }: { control: FormControl; nth: number }, value: string): Change => ({
	name: control.name,
	nth,
	element: control.element,
	type: control.type,
	value
});

/** What served HTML must never hold: an element a payload added, a script of a payload, a javascript: URL. */
export function injectedIn(html: string): string[] {
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
export async function renderedIn(page: Page) {
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
export const NOTHING_RAN = { flag: null, injected: 0, javascriptUrls: 0 };

/** Records the dialogs a payload opens (alert(n)); the app's own confirmations are accepted. */
export function listenForDialogs(page: Page, dialogs: string[]) {
	page.on('dialog', (dialog) => {
		if (dialog.type() === 'confirm' && !/^\d$/.test(dialog.message())) return void dialog.accept();
		dialogs.push(`${page.url()}: ${dialog.type()} ${dialog.message()}`);
		void dialog.dismiss();
	});
}

/** A page as served (signed in as `email`): the payloads it holds must be text, never markup. */
export async function servedPage(appUrl: string, email: string, url: string) {
	const response = await fetch(new URL(url, appUrl), {
		headers: { accept: 'text/html', cookie: await sessionCookie(appUrl, email) }
	});
	return { status: response.status, html: await response.text() };
}

/**
 * Every page the crawls of `appUrl` reach (as the accounts in `emails`), as served and in
 * Chromium: none holds a payload as markup, none runs one. Answers the payloads read back as text.
 */
export async function crawledPagesShowText(
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
