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
// Create forms: xss-create.test.ts.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { submitTarget } from './crawl.ts';
import { findForms, postAsBrowser, servedNow, type FoundForm } from './edit-forms.ts';
import { changedBody, submitButton } from './forms.ts';
import { appUrl } from './stack.ts';
import { fieldList, PAYLOADS, textFieldsOf, change, injectedIn, crawledPagesShowText } from './xss.ts';

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
