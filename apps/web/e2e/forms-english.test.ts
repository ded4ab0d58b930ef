// An English user never sees a Japanese error. Every POST form the crawls find (forms.ts and
// edit-forms.ts: each seed city as its admin, the console as the operator; a form added later is
// found without editing this file) that has a field to type in is submitted in English (?lang=en)
// as a browser without JavaScript does, with every such field too long. The answer must be a
// refusal that writes nothing, and no message it shows (alerts, and the message each field marked
// invalid is described by) may hold kana or kanji.
import { describe, expect, it } from 'vitest';
import { differences, dump, openDatabases } from './dump.ts';
import { findForms, postAsBrowser, servedNow, submitTarget, type FoundForm } from './edit-forms.ts';
import { unchangedBody } from './crawl.ts';
import { isTextLike, isVisibleData, submitButton, TOO_LONG } from './forms.ts';
import { elementText, tags } from './html.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const typed = (f: FoundForm) => f.form.fields.filter((c) => isVisibleData(c) && isTextLike(c));
const forms = (await findForms(appUrl)).filter((f) => typed(f).length > 0);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

/** What the answer says about the refusal: its alerts and the messages of its invalid fields. */
function messagesOf(html: string): string[] {
	const all = tags(html);
	const described = new Set(
		all
			.filter((t) => !t.closing && t.attrs.get('aria-invalid') === 'true')
			.flatMap((t) => `${t.attrs.get('aria-describedby') ?? ''} ${t.attrs.get('aria-errormessage') ?? ''}`.split(/\s+/))
			.filter(Boolean)
	);
	return all
		.map((t, i) => ({ t, i }))
		.filter(({ t }) => !t.closing && (t.attrs.get('role') === 'alert' || described.has(t.attrs.get('id') ?? '')))
		.map(({ i }) => elementText(all, i))
		.filter(Boolean);
}

describe('in English, every refused form speaks English', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);

	it('the crawls found forms to type in, in every seed city and the console', () => {
		for (const start of ['/meguro', '/koganei', '/tomakomai', '/operator'])
			expect(forms.filter((f) => f.form.page.startsWith(start)).length, start).toBeGreaterThan(0);
	});

	for (const f of forms)
		it(`${f.route} on ${f.form.page} as ${f.email}`, async () => {
			const form = await servedNow(appUrl, f);
			const submitter = submitButton(form);
			// Over the field's own maxlength where it has one (a plan document's text may be long).
			const tooLong = new Map(
				typed({ ...f, form }).map((c) => {
					const max = Number(c.attributes?.maxlength);
					return [c.name, max >= TOO_LONG.length ? 'x'.repeat(max + 1) : TOO_LONG];
				})
			);
			const body = new URLSearchParams(
				[...unchangedBody(form, submitter)].map(([name, value]) => [name, tooLong.get(name) ?? value])
			);
			const target = submitTarget(form, submitter);
			const before = await dump(databases);
			const answer = await postAsBrowser(appUrl, f, `${target}${target.includes('?') ? '&' : '?'}lang=en`, body);
			const after = await dump(databases);
			expect(differences(before, after), 'what the refused submission wrote').toEqual([]);
			expect(answer.status, 'a refusal').toBeGreaterThanOrEqual(400);
			expect(answer.status, 'a refusal, not an error').toBeLessThan(500);
			const messages = messagesOf(answer.html);
			expect(messages.length, 'the answer says what was wrong').toBeGreaterThan(0);
			expect(
				messages.filter((text) => JAPANESE.test(text)),
				'messages with Japanese'
			).toEqual([]);
		});
});
