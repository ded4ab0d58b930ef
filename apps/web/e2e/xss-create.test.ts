// Injection and XSS payloads in the stored text fields only create forms have, rendered back in
// Chromium (edit forms: xss.test.ts).
//
// Fields that only a create form has (a comment on a task, a new initiative, record or KPI, a
// department's name, an invitation, an API token's name, a plan document's text to preview) are
// the crawls' entry forms (forms.ts), found and filled on a stack of their own: what they create
// cannot be put back as an edit can, and the other browser tests share theirs. Each payload goes
// into every text field of each form, posted as a browser without JavaScript posts it (the answer
// as served) and submitted in Chromium with JavaScript (the answer as the app renders it); then
// the form's page and every page the crawls reach are read as served and opened in Chromium.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from '../scripts/own-stack.ts';
import { launchBrowser } from './browser.ts';
import { submitTarget } from './crawl.ts';
import { clickAndAnswer, findForms, openForm, postAsBrowser, servedNow } from './edit-forms.ts';
import { changedBody, isVisibleData, submitButton, type Change } from './forms.ts';
import type { FormControl } from './html.ts';
import { signedInContext } from './session.ts';
import {
	fieldList,
	PAYLOADS,
	withPositions,
	textFieldsOf,
	change,
	injectedIn,
	renderedIn,
	NOTHING_RAN,
	listenForDialogs,
	servedPage,
	crawledPagesShowText
} from './xss.ts';

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
