// Reads links and forms out of server-rendered HTML, the way a browser without JavaScript sees
// them. A small tokenizer is enough for that (no HTML parser is installed here): tags and their
// attributes, comments, raw-text elements (script, style) and the text of textarea and option.

export interface Tag {
	name: string;
	attrs: Map<string, string>;
	/** The decoded text up to the next tag (for textarea: its whole content). */
	text: string;
	closing: boolean;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
		if (ref[0] === '#') {
			const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
		}
		return NAMED[ref.toLowerCase()] ?? whole;
	});
}

const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

/** The start and end tags of `html`, in document order. */
export function tags(html: string): Tag[] {
	const out: Tag[] = [];
	let i = 0;
	while (i < html.length) {
		const lt = html.indexOf('<', i);
		if (lt < 0) break;
		if (html.startsWith('<!--', lt)) {
			const end = html.indexOf('-->', lt + 4);
			i = end < 0 ? html.length : end + 3;
			continue;
		}
		const match = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(lt, lt + 64));
		if (!match) {
			// A doctype, a processing instruction, or a stray '<' in text.
			i = html[lt + 1] === '!' || html[lt + 1] === '?' ? html.indexOf('>', lt) + 1 || html.length : lt + 1;
			continue;
		}
		// The tag ends at the first '>' outside quotes.
		let j = lt + match[0].length;
		let quote = '';
		for (; j < html.length; j++) {
			const c = html[j];
			if (quote) {
				if (c === quote) quote = '';
			} else if (c === '"' || c === "'") quote = c;
			else if (c === '>') break;
		}
		const name = match[2]!.toLowerCase();
		const closing = match[1] === '/';
		const attrs = new Map<string, string>();
		if (!closing)
			for (const a of html.slice(lt + match[0].length, j).matchAll(ATTRIBUTE)) {
				const key = a[1]!.toLowerCase();
				if (!attrs.has(key)) attrs.set(key, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
			}
		i = j + 1;
		let textEnd = html.indexOf('<', i);
		if (!closing && RAW_TEXT.has(name)) {
			const end = html.toLowerCase().indexOf(`</${name}`, i);
			textEnd = end < 0 ? html.length : end;
		}
		if (textEnd < 0) textEnd = html.length;
		const raw = html.slice(i, textEnd);
		out.push({ name, attrs, closing, text: name === 'script' || name === 'style' ? '' : decodeEntities(raw) });
		if (!closing && RAW_TEXT.has(name)) i = textEnd;
	}
	return out;
}

export interface Link {
	href: string;
	/** Has a `download` attribute. */
	download: boolean;
	text: string;
}

export interface FormControl {
	/** input, select, textarea or button */
	element: 'input' | 'select' | 'textarea' | 'button';
	name: string;
	/** The input's or button's type (text when absent), 'select-one'/'select-multiple', or 'textarea'. */
	type: string;
	/** The current value: the value attribute, the textarea's content, or the first selected option's. */
	value: string;
	/** Checkboxes and radios: whether checked. */
	checked?: boolean;
	/** Selects: every option, and which are selected as the page was served. */
	options?: { value: string; label: string; selected: boolean }[];
	disabled: boolean;
	id?: string;
	/** Buttons: the action they submit to instead of the form's. */
	formaction?: string;
	/** Selects: whether the served HTML marked an option `selected` (else the first is shown). */
	marked?: boolean;
	/** Every attribute as served (hidden, readonly, required, maxlength, aria-invalid, …). */
	attributes?: Record<string, string>;
}

export interface Form {
	method: 'get' | 'post';
	/** The action attribute as written ('' when absent: the page itself). */
	action: string;
	enctype: string;
	id?: string;
	controls: FormControl[];
}

function control(tag: Tag): FormControl | null {
	const name = tag.attrs.get('name') ?? '';
	const disabled = tag.attrs.has('disabled');
	const id = tag.attrs.get('id');
	const base = { name, disabled, ...(id ? { id } : {}), attributes: Object.fromEntries(tag.attrs) };
	if (tag.name === 'input') {
		const type = (tag.attrs.get('type') ?? 'text').toLowerCase();
		const value = tag.attrs.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
		const formaction = tag.attrs.get('formaction');
		return {
			element: 'input',
			type,
			value,
			...base,
			...(type === 'checkbox' || type === 'radio' ? { checked: tag.attrs.has('checked') } : {}),
			...(formaction !== undefined ? { formaction } : {})
		};
	}
	if (tag.name === 'textarea')
		// A newline right after <textarea> is not part of its value (HTML parsing rules).
		return { element: 'textarea', type: 'textarea', value: tag.text.replace(/^\r?\n/, ''), ...base };
	if (tag.name === 'button') {
		const formaction = tag.attrs.get('formaction');
		return {
			element: 'button',
			type: (tag.attrs.get('type') ?? 'submit').toLowerCase(),
			value: tag.attrs.get('value') ?? '',
			...base,
			...(formaction !== undefined ? { formaction } : {})
		};
	}
	if (tag.name === 'select')
		return {
			element: 'select',
			type: tag.attrs.has('multiple') ? 'select-multiple' : 'select-one',
			value: '',
			options: [],
			...base
		};
	return null;
}

/** A select with no option marked selected shows (and submits) its first enabled option. */
function settleSelect(select: FormControl) {
	const options = select.options!;
	if (select.type === 'select-one') {
		const marked = options.filter((o) => o.selected);
		select.marked = marked.length > 0;
		// Only the last marked option counts in a single select.
		for (const o of marked.slice(0, -1)) o.selected = false;
		if (marked.length === 0 && options[0]) options[0].selected = true;
	}
	if (select.type === 'select-multiple') select.marked = options.some((o) => o.selected);
	select.value = options.find((o) => o.selected)?.value ?? '';
}

/** The links and forms of a page. Controls outside a form that name one with `form=` join it. */
export function linksAndForms(html: string): { links: Link[]; forms: Form[] } {
	const links: Link[] = [];
	const forms: Form[] = [];
	const orphans: { formId: string; control: FormControl }[] = [];
	let form: Form | null = null;
	let select: FormControl | null = null;
	let option: { value: string; label: string; selected: boolean; explicitValue: boolean } | null = null;
	let anchor: Link | null = null;
	const closeOption = () => {
		if (option && select) {
			const label = option.label.replace(/\s+/g, ' ').trim();
			select.options!.push({ value: option.explicitValue ? option.value : label, label, selected: option.selected });
		}
		option = null;
	};
	for (const tag of tags(html)) {
		if (option) {
			if (tag.name === 'option' || tag.name === 'optgroup' || tag.name === 'select') closeOption();
			else option.label += tag.text; // markup inside an option's label
		}
		if (anchor && !(tag.name === 'a' && tag.closing)) anchor.text += tag.text;

		if (tag.closing) {
			if (tag.name === 'form') form = null;
			if (tag.name === 'select' && select) {
				settleSelect(select);
				select = null;
			}
			if (tag.name === 'a' && anchor) {
				anchor.text = anchor.text.replace(/\s+/g, ' ').trim();
				anchor = null;
			}
			continue;
		}
		if (tag.name === 'a' && tag.attrs.has('href')) {
			anchor = { href: tag.attrs.get('href')!, download: tag.attrs.has('download'), text: tag.text };
			links.push(anchor);
			continue;
		}
		if (tag.name === 'form') {
			const method = (tag.attrs.get('method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
			const id = tag.attrs.get('id');
			form = {
				method,
				action: tag.attrs.get('action') ?? '',
				enctype: tag.attrs.get('enctype') ?? 'application/x-www-form-urlencoded',
				...(id ? { id } : {}),
				controls: []
			};
			forms.push(form);
			continue;
		}
		if (tag.name === 'option' && select) {
			option = {
				value: tag.attrs.get('value') ?? '',
				explicitValue: tag.attrs.has('value'),
				label: tag.text,
				selected: tag.attrs.has('selected')
			};
			continue;
		}
		const c = control(tag);
		if (!c) continue;
		if (c.element === 'select') select = c;
		const owner = tag.attrs.get('form');
		if (owner) orphans.push({ formId: owner, control: c });
		else form?.controls.push(c);
	}
	closeOption();
	if (select) settleSelect(select);
	for (const { formId, control: c } of orphans) forms.find((f) => f.id === formId)?.controls.push(c);
	return { links, forms };
}

/**
 * What the browser sends when the form is submitted as served (nothing changed), by `submitter`
 * (a button of the form; by default none, as when Enter is pressed in a field).
 */
export function submission(form: Pick<Form, 'controls'>, submitter?: FormControl): [string, string][] {
	const out: [string, string][] = [];
	for (const c of form.controls) {
		if (!c.name || c.disabled) continue;
		if (c.element === 'button' || ['submit', 'image', 'reset', 'button'].includes(c.type)) {
			if (c === submitter) out.push([c.name, c.value]);
			continue;
		}
		if (c.type === 'file') continue;
		if (c.type === 'checkbox' || c.type === 'radio') {
			if (c.checked) out.push([c.name, c.value]);
			continue;
		}
		if (c.element === 'select') {
			for (const o of c.options ?? []) if (o.selected) out.push([c.name, o.value]);
			continue;
		}
		out.push([c.name, c.type === 'textarea' ? c.value.replace(/\r?\n/g, '\r\n') : c.value]);
	}
	return out;
}

/** The text of the element opening at `all[start]` (from `tags`), its descendants' text included. */
export function elementText(all: Tag[], start: number): string {
	const name = all[start]!.name;
	let depth = 0;
	let text = '';
	for (const t of all.slice(start)) {
		if (t.name === name) depth += t.closing ? -1 : 1;
		if (depth === 0) break;
		text += t.text;
	}
	return text.trim();
}
