// The one mapping of errors to HTTP answers in the API: RFC 9457 problem details
// (application/problem+json) worded in the language of Accept-Language, Japanese by default.
import {
	AccessDeniedError,
	asServiceError,
	type ConflictError,
	type ErrorCode,
	type InvalidError
} from '@mamori/services';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { localeOf, word } from '@mamori/services/words';

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
	invalid: 400,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	unavailable: 503,
	timeout: 503
};

export interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	/** Mamori's error code (and, for a refusal, why). */
	code: ErrorCode | 'internal';
	reason?: string;
	errors?: { field: string; detail: string }[];
	current?: unknown;
}

function answer(c: Context, problem: Problem, headers: Record<string, string> = {}) {
	return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
		'content-type': 'application/problem+json; charset=utf-8',
		'content-language': localeOf(c.req.header('accept-language')),
		...headers
	});
}

/** The problem answer for an error thrown by a handler, a middleware or a service. */
export function problemResponse(c: Context, error: unknown) {
	const locale = localeOf(c.req.header('accept-language'));
	const service = asServiceError(error);
	if (!service) {
		console.error(error);
		return answer(c, {
			type: 'urn:mamori:problem:internal',
			title: word(locale, { key: 'error_title_internal' }),
			status: 500,
			detail: word(locale, { key: 'error_unexpected' }),
			code: 'internal'
		});
	}
	const base = {
		type: `urn:mamori:problem:${service.code}`,
		title: word(locale, { key: `error_title_${service.code}` }),
		status: statusOf[service.code],
		code: service.code
	};
	switch (service.code) {
		case 'invalid': {
			const issues = (service as InvalidError).issues;
			return answer(c, {
				...base,
				detail: word(locale, { key: 'error_invalid_input' }),
				errors: Object.entries(issues).map(([field, m]) => ({ field, detail: word(locale, m) }))
			});
		}
		case 'forbidden': {
			const reason = service instanceof AccessDeniedError ? service.reason : 'forbidden';
			return answer(c, { ...base, detail: word(locale, { key: `error_denied_${reason}` }), reason });
		}
		case 'conflict':
			return answer(c, {
				...base,
				detail: word(locale, { key: 'error_conflict' }),
				current: (service as ConflictError).current
			});
		case 'not_found':
			return answer(c, { ...base, detail: word(locale, { key: 'error_api_not_found' }) });
		case 'unavailable':
		case 'timeout':
			console.error('database unavailable', error);
			return answer(c, { ...base, detail: word(locale, { key: 'error_api_unavailable' }) }, { 'retry-after': '30' });
	}
}
