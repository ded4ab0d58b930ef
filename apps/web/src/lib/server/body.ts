// Every form action reads its body here: a body that is too large is refused with 413 before it
// is parsed (Content-Length first, then counted while read when the header is absent or wrong);
// one that does not parse as a form, or sends a file where text is expected, with 400.
import { isHttpError } from '@sveltejs/kit';
import { refuse } from './errors.ts';

export const FORM_BODY_LIMIT = 1_000_000;

/**
 * How much of an oversized body without Content-Length is read and discarded before answering
 * 413: answering while the client is still sending makes the local runtime reset the connection,
 * so the client would see no answer at all. Beyond this, the connection is cut.
 */
const DRAIN_LIMIT = 32 * 1024 * 1024;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number) {
	let drained = 0;
	try {
		for (;;) {
			const next = await reader.read();
			if (next.done) return;
			drained += next.value.byteLength;
			if (drained > limit) return void (await reader.cancel());
		}
	} catch {
		// The client went away: nothing to answer.
	}
}

async function readLimited(
	request: Request,
	limit: number,
	locale: App.Locals['locale']
): Promise<Uint8Array<ArrayBuffer>> {
	const declared = request.headers.get('content-length');
	if (declared !== null && Number(declared) > limit) refuse(locale, 413, 'error_body_too_large');
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let next: ReadableStreamReadResult<Uint8Array>;
		try {
			next = await reader.read();
		} catch {
			refuse(locale, 400, 'error_body_invalid');
		}
		if (next.done) break;
		size += next.value.byteLength;
		if (size > limit) {
			await drain(reader, DRAIN_LIMIT);
			refuse(locale, 413, 'error_body_too_large');
		}
		chunks.push(next.value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

type BodyEvent = { request: Request; locals: App.Locals };

async function parseForm({ request, locals }: BodyEvent, bytes: Uint8Array<ArrayBuffer>): Promise<FormData> {
	try {
		return await new Response(bytes, {
			headers: { 'content-type': request.headers.get('content-type') ?? '' }
		}).formData();
	} catch {
		refuse(locals.locale, 400, 'error_body_invalid');
	}
}

/** The action's form fields, all text. */
export async function readForm(event: BodyEvent): Promise<FormData> {
	const data = await parseForm(event, await readLimited(event.request, FORM_BODY_LIMIT, event.locals.locale));
	for (const [, value] of data) if (typeof value !== 'string') refuse(event.locals.locale, 400, 'error_body_file');
	return data;
}

/**
 * An upload form's fields, files included, or 'too_large' beyond `limit` bytes: the form then
 * says so beside its file field rather than on an error page.
 */
export async function readUpload(event: BodyEvent, limit: number): Promise<FormData | 'too_large'> {
	let bytes: Uint8Array<ArrayBuffer>;
	try {
		bytes = await readLimited(event.request, limit, event.locals.locale);
	} catch (e) {
		if (isHttpError(e, 413)) return 'too_large';
		throw e;
	}
	return parseForm(event, bytes);
}

/**
 * The form's fields as the services' raw input: one value per name, or every value for the names
 * in `lists` (checkbox groups, multi-selects).
 */
export function formValues(data: FormData, lists: readonly string[] = []): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	// A list with nothing ticked is sent as no field at all: it is still a list, and empty.
	for (const key of lists) values[key] = data.getAll(key);
	for (const key of new Set(data.keys())) if (!lists.includes(key)) values[key] = data.get(key);
	return values;
}
