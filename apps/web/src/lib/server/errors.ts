// The one mapping of service errors to what SvelteKit answers, and the one place where the
// server words a message of the services in the request's language.
import {
	asServiceError,
	type ConflictError,
	type FieldIssues,
	type InvalidError,
	type Message
} from '@mamori/services';
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import type { Locale } from '$lib/paraglide/runtime';
import { translate, type MessageKey } from './i18n.ts';

/** A catalogue message in the request's language; a param that is a message is worded first. */
export function word(locale: Locale, message: Message): string {
	const params: Record<string, string | number> = {};
	for (const [name, value] of Object.entries(message.params ?? {}))
		params[name] = typeof value === 'object' ? word(locale, value) : value;
	return translate(locale, message.key as MessageKey, params);
}

export function wordIssues(locale: Locale, issues: FieldIssues): Record<string, string> {
	return Object.fromEntries(Object.entries(issues).map(([field, m]) => [field, word(locale, m)]));
}

/** Ends the request with an error page (404, 403, 400, 413, 503) worded in the request's language. */
export function refuse(
	locale: Locale,
	status: 400 | 403 | 404 | 413 | 503,
	key: MessageKey,
	code?: App.Error['code']
): never {
	error(status, { message: translate(locale, key), ...(code ? { code } : {}) });
}

export type FormFailure = {
	form: string;
	errors?: Record<string, string>;
	conflict?: unknown;
	values?: Record<string, unknown>;
};

/**
 * What a failed service call answers: field messages (400) or the row as saved now (409) for the
 * form that was sent, else the error page: 404, 403, 503. Anything else is a bug and is rethrown
 * (SvelteKit's redirects pass through here too).
 */
export function failure(
	locals: App.Locals,
	e: unknown,
	form?: { form: string; values: Record<string, unknown> }
): ActionFailure<FormFailure> {
	const service = asServiceError(e);
	if (!service) throw e;
	const locale = locals.locale;
	switch (service.code) {
		case 'invalid':
			if (!form) return refuse(locale, 400, 'error_bad_request');
			return fail(400, { ...form, errors: wordIssues(locale, (service as InvalidError).issues) });
		case 'conflict':
			if (!form) return refuse(locale, 400, 'error_bad_request');
			return fail(409, { ...form, conflict: (service as ConflictError).current });
		case 'not_found':
			return refuse(locale, 404, 'error_not_found');
		case 'forbidden':
			return refuse(locale, 403, 'error_forbidden', 'FORBIDDEN');
		case 'unavailable':
			locals.databaseUnavailable = true;
			return refuse(locale, 503, 'error_db_unavailable', 'DB_UNAVAILABLE');
		case 'timeout':
			// Abandoned at its deadline: a write may yet be applied, so it is never called "not saved".
			locals.databaseUnavailable = true;
			return refuse(locale, 503, form ? 'error_write_unknown' : 'error_db_slow', 'DB_UNAVAILABLE');
	}
}

/** Runs a load's service calls; what they refuse becomes the error page, not a 500. */
export async function loading<T>(locals: App.Locals, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		failure(locals, e);
		throw e;
	}
}
