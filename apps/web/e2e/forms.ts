// What kind of form a crawled POST form is, told from its served fields alone (no list of forms),
// and the edits the form tests make to one: so that an edit form added later is tested without
// editing the tests.
//
// The rule. A control is *visible data* when a person can change it: not disabled, not readonly,
// no `hidden` attribute, and not a hidden, submit, reset, image, button or file input. A visible
// text-like control (input or textarea) is *prefilled* when it holds a value; a select when the
// served HTML marks one of its options `selected`. A form is
//   - `edit`   when it has visible data and either carries a hidden `version` field (it saves a row
//              that exists), or has at least one prefilled control and no visible text-like or
//              select control left empty (it shows a thing's saved fields, e.g. a member's role);
//   - `entry`  when it has visible data but is not `edit` (create, invite, sign in, a password);
//   - `button` when it has no visible data (delete, move, restore, publish, revoke, suspend).
import { submission, type FormControl } from './html.ts';
import type { CrawledForm } from './crawl.ts';

export type FormKind = 'edit' | 'entry' | 'button';

const NOT_DATA = new Set(['hidden', 'submit', 'reset', 'image', 'button', 'file']);
const TEXT_LIKE = new Set(['text', 'search', 'email', 'url', 'tel', 'number', 'password', 'textarea', 'date', 'month']);

export const isButton = (c: FormControl) => c.element === 'button' || ['submit', 'image'].includes(c.type);

export function isVisibleData(c: FormControl): boolean {
	if (!c.name || c.disabled || c.element === 'button' || NOT_DATA.has(c.type)) return false;
	const a = c.attributes ?? {};
	return !('hidden' in a) && !('readonly' in a) && a['aria-hidden'] !== 'true';
}

export const isTextLike = (c: FormControl) => TEXT_LIKE.has(c.type);
const isSelect = (c: FormControl) => c.element === 'select';

export function kindOf(form: Pick<CrawledForm, 'fields'>): FormKind {
	const visible = form.fields.filter(isVisibleData);
	if (visible.length === 0) return 'button';
	const hasVersion = form.fields.some((c) => c.name === 'version' && c.type === 'hidden' && !c.disabled);
	if (hasVersion) return 'edit';
	const fillable = visible.filter((c) => isTextLike(c) || isSelect(c));
	const prefilled = (c: FormControl) => (isSelect(c) ? c.marked === true : c.value !== '');
	return fillable.length > 0 && fillable.every(prefilled) ? 'edit' : 'entry';
}

/** The button a person clicks to submit the form: its first submit button without a formaction. */
export function submitButton(form: Pick<CrawledForm, 'fields'>): FormControl | undefined {
	return form.fields.find((c) => isButton(c) && c.type === 'submit' && c.formaction === undefined && !c.disabled);
}

/**
 * The hidden fields other than `version` (ids), as served: with the action they tell one form on a
 * page from another (the rename form of each department) across reloads.
 */
export function identity(form: Pick<CrawledForm, 'fields'>): [string, string][] {
	return form.fields
		.filter((c) => c.type === 'hidden' && c.name && c.name !== 'version' && !c.disabled)
		.map((c) => [c.name, c.value]);
}

export function sameForm(a: CrawledForm, b: CrawledForm): boolean {
	return a.action === b.action && JSON.stringify(identity(a)) === JSON.stringify(identity(b));
}

/** One control to change: by name and position among the form's controls of that name. */
export interface Change {
	name: string;
	nth: number;
	element: FormControl['element'];
	type: string;
	/** Text-like: the new value. Select: the option's value. Checkbox/radio: 'check' | 'uncheck'. */
	value: string;
}

/**
 * Longer than any text the domain accepts (db/services/src/domain/fields.ts: the longest limit is
 * LIMITS.text, 20,000 characters; titles, codes, labels and units are shorter) and no number or
 * year: invalid in every text-like field that has no maxlength of its own.
 */
export const TOO_LONG = 'x'.repeat(20_001);

/** A control that takes a number or a year (by its type, inputmode or name). */
export const numeric = (c: FormControl) =>
	c.type === 'number' ||
	['numeric', 'decimal'].includes(c.attributes?.inputmode ?? '') ||
	/year|value|count|amount/i.test(c.name);

/** Positions of each control among the form's controls of the same name. */
function positions(fields: FormControl[]): Map<FormControl, number> {
	const seen = new Map<string, number>();
	const out = new Map<FormControl, number>();
	for (const c of fields) {
		const n = seen.get(c.name) ?? 0;
		out.set(c, n);
		seen.set(c.name, n + 1);
	}
	return out;
}

/** The field made invalid: the first visible text-like field without maxlength (not a number input). */
export function invalidTarget(form: Pick<CrawledForm, 'fields'>): FormControl | undefined {
	return form.fields.find(
		(c) =>
			isVisibleData(c) &&
			isTextLike(c) &&
			c.type !== 'number' &&
			c.type !== 'password' &&
			c.type !== 'email' &&
			!('maxlength' in (c.attributes ?? {}))
	);
}

/**
 * The edits of the "one invalid field" test: `invalid` gets TOO_LONG; every other visible text-like
 * field a distinct new value (a number where a number is expected, two lines in a textarea); every
 * select another option; the first box of each checkbox group toggled; another radio chosen.
 * Passwords are left alone (a browser never shows them back).
 */
export function plannedChanges(form: Pick<CrawledForm, 'fields'>): { invalid: Change; others: Change[] } | null {
	const target = invalidTarget(form);
	if (!target) return null;
	const nth = positions(form.fields);
	const at = (c: FormControl, value: string): Change => ({
		name: c.name,
		nth: nth.get(c)!,
		element: c.element,
		type: c.type,
		value
	});
	const others: Change[] = [];
	const toggledGroups = new Set<string>();
	let n = 0;
	for (const c of form.fields) {
		if (c === target || !isVisibleData(c) || c.type === 'password') continue;
		if (isTextLike(c)) {
			n += 1;
			let value =
				c.type === 'email'
					? `e2e-${n}@example.invalid`
					: numeric(c)
						? String(2030 + n)
						: c.type === 'textarea'
							? `変更した${n}行目\n二行目 <b>&amp;</b>`
							: `変更${n}「e2e」`;
			if (value === c.value) value = `${value}${n}`;
			others.push(at(c, value));
		} else if (c.element === 'select' && c.type === 'select-one') {
			const other = c.options?.find((o) => !o.selected && o.value !== '') ?? c.options?.find((o) => !o.selected);
			if (other) others.push(at(c, other.value));
		} else if (c.type === 'checkbox' && !toggledGroups.has(c.name)) {
			toggledGroups.add(c.name);
			others.push(at(c, c.checked ? 'uncheck' : 'check'));
		} else if (c.type === 'radio' && !toggledGroups.has(c.name) && !c.checked) {
			toggledGroups.add(c.name);
			others.push(at(c, 'check'));
		}
	}
	return { invalid: at(target, TOO_LONG), others };
}

/** The form's controls with `changes` applied, as the browser would then hold them. */
export function applyChanges(fields: FormControl[], changes: Change[]): FormControl[] {
	const nth = positions(fields);
	return fields.map((c) => {
		const change = changes.find((x) => x.name === c.name && x.nth === nth.get(c));
		if (!change) return c;
		if (c.type === 'checkbox' || c.type === 'radio') {
			const checked = change.value === 'check';
			return { ...c, checked };
		}
		if (c.element === 'select')
			return {
				...c,
				value: change.value,
				options: c.options?.map((o) => ({ ...o, selected: o.value === change.value }))
			};
		return { ...c, value: change.value };
	});
}

/** Radios: checking one unchecks the others of its group. */
function settleRadios(fields: FormControl[], changes: Change[]): FormControl[] {
	const checked = changes.filter((c) => c.type === 'radio' && c.value === 'check');
	if (checked.length === 0) return fields;
	const nth = positions(fields);
	return fields.map((c) => {
		const group = checked.find((x) => x.name === c.name);
		return group && c.type === 'radio' ? { ...c, checked: nth.get(c) === group.nth } : c;
	});
}

/** The body a browser posts after the changes, submitted by `submitter`. */
export function changedBody(fields: FormControl[], changes: Change[], submitter?: FormControl): URLSearchParams {
	const changed = settleRadios(applyChanges(fields, changes), changes);
	const button = submitter && changed[fields.indexOf(submitter)];
	return new URLSearchParams(submission({ controls: changed }, button));
}

/** What a control holds, comparable across the served HTML and the DOM (newlines as \n). */
export function held(c: Pick<FormControl, 'type' | 'element' | 'value' | 'checked'>): string {
	if (c.type === 'checkbox' || c.type === 'radio') return c.checked ? 'check' : 'uncheck';
	return c.value.replace(/\r\n?/g, '\n');
}

export const expectedHeld = (change: Change) => change.value.replace(/\r\n?/g, '\n');
