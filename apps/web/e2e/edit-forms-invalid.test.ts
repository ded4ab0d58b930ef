// One invalid field shows every other typed value back. For every edit form the crawls find (rule
// in forms.ts), one text field gets a value no field accepts (TOO_LONG), every other field a new
// value (forms.ts plannedChanges), and the form is submitted, without JavaScript (the body a
// browser posts; the answer's HTML read with html.ts) and with it (typed and clicked in Chromium;
// the DOM read after the answer). The answer must mark the invalid field (aria-invalid="true" and a
// message it is described by), every other field must hold what was typed, and no database may
// change.
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { crawledForms, type CrawledForm } from './crawl.ts';
import { differences, dump, openDatabases } from './dump.ts';
import {
	domForm,
	findEditForms,
	postAsBrowser,
	servedNow,
	submitTarget,
	withFormPage,
	type FoundForm
} from './edit-forms.ts';
import { changedBody, expectedHeld, held, plannedChanges, sameForm, submitButton, type Change } from './forms.ts';
import { elementText, linksAndForms, tags } from './html.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const editForms = await findEditForms(appUrl);
const testable = editForms.filter((f) => plannedChanges(f.form) !== null);
console.log(
	`one invalid field: ${testable.length} of ${editForms.length} edit forms have a text field to make invalid` +
		(testable.length < editForms.length
			? `; without one: ${editForms
					.filter((f) => !testable.includes(f))
					.map((f) => `${f.route} (${f.email})`)
					.join(', ')}`
			: '')
);

const describeChange = (c: Change) => `${c.name}[${c.nth}]`;

/** The text of the element with `id` in `html`, its descendants' text included. */
function textOfId(html: string, id: string): string {
	const all = tags(html);
	const start = all.findIndex((t) => !t.closing && t.attrs.get('id') === id);
	return start < 0 ? '' : elementText(all, start);
}

/** The message the field is described by (aria-describedby / aria-errormessage), '' if none. */
const describedBy = (ids: string | undefined, textOf: (id: string) => string) =>
	(ids ?? '').split(/\s+/).filter(Boolean).map(textOf).join(' ').trim();

describe('one invalid field shows every other typed value back, and writes nothing', () => {
	let browser: Browser;
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		console.log(`one invalid field: ${testable.length} edit forms × 2 modes`);
		await browser?.close();
		for (const db of Object.values(databases)) db.close();
	});

	const title = (f: FoundForm, mode: string) => {
		const plan = plannedChanges(f.form)!;
		return `${f.route} on ${f.form.page} as ${f.email}, ${plan.invalid.name} invalid (${mode})`;
	};

	for (const f of testable) {
		it(title(f, 'JS off'), async () => {
			const form = await servedNow(appUrl, f);
			const plan = plannedChanges(form)!;
			const submitter = submitButton(form);
			const before = await dump(databases);
			const answer = await postAsBrowser(
				appUrl,
				f,
				submitTarget(form, submitter),
				changedBody(form.fields, [plan.invalid, ...plan.others], submitter)
			);
			const after = await dump(databases);
			expect(differences(before, after), 'what the refused submission wrote').toEqual([]);

			const page = new URL(form.page, appUrl);
			const shown = crawledForms(linksAndForms(answer.html).forms, page);
			const again: CrawledForm | undefined =
				shown.find((s) => sameForm(s, form)) ?? shown.find((s) => s.action === form.action);
			expect(again, `the answer (${answer.status}) shows the form again`).toBeDefined();
			const control = (c: Change) => again!.fields.filter((x) => x.name === c.name)[c.nth];
			const invalid = control(plan.invalid);
			expect(invalid?.attributes?.['aria-invalid'], `${plan.invalid.name} is marked invalid`).toBe('true');
			const message = describedBy(
				[invalid?.attributes?.['aria-describedby'], invalid?.attributes?.['aria-errormessage']].join(' '),
				(id) => textOfId(answer.html, id)
			);
			expect(message, `${plan.invalid.name} is described by its error message`).not.toBe('');
			const kept = Object.fromEntries(plan.others.map((c) => [describeChange(c), control(c) && held(control(c)!)]));
			const typed = Object.fromEntries(plan.others.map((c) => [describeChange(c), expectedHeld(c)]));
			expect(kept, 'every other field holds what was typed').toEqual(typed);
		});

		it(title(f, 'JS on'), () =>
			withFormPage(browser, appUrl, f, async (page, opened, submit) => {
				let form = opened;
				const plan = plannedChanges(f.form)!;
				const field = (c: Change): Locator => form.locator(`[name="${c.name.replace(/["\\]/g, '\\$&')}"]`).nth(c.nth);
				for (const c of [plan.invalid, ...plan.others]) {
					const el = field(c);
					if (c.type === 'checkbox' || c.type === 'radio') await el.setChecked(c.value === 'check');
					else if (c.element === 'select') await el.selectOption(c.value);
					else await el.fill(c.value);
				}
				const before = await dump(databases);
				const type = await submit();
				expect(type, 'the answer is a refusal').toBe('failure');
				form = await domForm(page, f);
				const invalid = field(plan.invalid);
				await invalid
					.and(page.locator('[aria-invalid="true"]'))
					.waitFor({ timeout: 10_000 })
					.catch(() => {
						throw new Error(`${plan.invalid.name} was not marked aria-invalid="true" after the answer`);
					});
				const ids = [await invalid.getAttribute('aria-describedby'), await invalid.getAttribute('aria-errormessage')]
					.filter(Boolean)
					.join(' ');
				const texts = new Map<string, string>();
				for (const id of ids.split(/\s+/).filter(Boolean))
					texts.set(
						id,
						(
							(await page
								.locator(`[id="${id}"]`)
								.first()
								.textContent()
								.catch(() => '')) ?? ''
						).trim()
					);
				expect(
					describedBy(ids, (id) => texts.get(id) ?? ''),
					`${plan.invalid.name} is described by its error message`
				).not.toBe('');
				const kept: Record<string, string> = {};
				for (const c of plan.others)
					kept[describeChange(c)] = held(
						await field(c).evaluate((el) => ({
							type: (el as HTMLInputElement).type,
							element: el.tagName.toLowerCase() as 'input',
							value: (el as HTMLInputElement).value,
							checked: (el as HTMLInputElement).checked
						}))
					);
				const typed = Object.fromEntries(plan.others.map((c) => [describeChange(c), expectedHeld(c)]));
				expect(kept, 'every other field holds what was typed').toEqual(typed);
				expect(differences(before, await dump(databases)), 'what the refused submission wrote').toEqual([]);
			})
		);
	}
});
