// Every edit form, submitted unchanged, changes nothing: not a field, not a join row, in no
// database. The forms are found by crawling each seed city as its admin (with the account page)
// and the operator console as the operator, and told apart by the rule in forms.ts, so an edit
// form added later is covered without editing this file. Each is submitted by the account that
// found it (the crawl saw it, so it may submit it), without JavaScript (the body a browser posts,
// as a text/html form post from the same origin) and with it (the submit button clicked in
// Chromium, use:enhance in place). Before and after, every database is dumped; the dumps must be
// equal apart from versions, updated_at and the audit history (dump.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { unchangedBody } from './crawl.ts';
import { differences, dump, openDatabases } from './dump.ts';
import { findEditForms, postAsBrowser, servedNow, submitTarget, withFormPage, type FoundForm } from './edit-forms.ts';
import { submitButton } from './forms.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const editForms = await findEditForms(appUrl);
const MODES = ['JS off', 'JS on'] as const;

describe('every edit form, submitted unchanged, changes nothing', () => {
	let browser: Browser;
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	let ran = 0;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		console.log(`unchanged submissions: ${editForms.length} edit forms × ${MODES.length} modes, ${ran} run`);
		await browser?.close();
		for (const db of Object.values(databases)) db.close();
	});

	it('the crawls found edit forms in every seed city', () => {
		for (const slug of ['meguro', 'koganei', 'tomakomai'])
			expect(editForms.filter((f) => f.form.page.startsWith(`/${slug}`)).length, slug).toBeGreaterThanOrEqual(4);
	});

	const title = (f: FoundForm, mode: string) => `${f.route} on ${f.form.page} as ${f.email} (${mode})`;

	for (const f of editForms) {
		it(title(f, 'JS off'), async () => {
			const form = await servedNow(appUrl, f);
			const submitter = submitButton(form);
			const before = await dump(databases);
			const answer = await postAsBrowser(appUrl, f, submitTarget(form, submitter), unchangedBody(form, submitter));
			const after = await dump(databases);
			ran += 1;
			expect(differences(before, after), 'what the unchanged submission wrote').toEqual([]);
			expect([200, 303], 'an unchanged form is accepted (a page or a redirect, not a refusal)').toContain(
				answer.status
			);
		});

		it(title(f, 'JS on'), () =>
			withFormPage(browser, appUrl, f, async (_page, _form, submit) => {
				const before = await dump(databases);
				const type = await submit();
				const after = await dump(databases);
				ran += 1;
				expect(differences(before, after), 'what the unchanged submission wrote').toEqual([]);
				expect(['success', 'redirect'], 'an unchanged form is accepted').toContain(type);
			})
		);
	}
});
