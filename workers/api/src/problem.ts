// The one mapping of errors to HTTP answers in the API: RFC 9457 problem details
// (application/problem+json). `title` and `detail` are in the language of Accept-Language
// (Japanese by default, Content-Language says which); `messages` carries both, Japanese and
// English, for systems that log or show either whatever they asked for. Services throw the error
// family of @mamori/services (errors.ts); the two refusals that are the surface's own, too large
// (413) and too many (429), are worded here from the same catalogue.
import {
	AccessDeniedError,
	asServiceError,
	type ConflictError,
	type ErrorCode,
	type InvalidError,
	type Message
} from '@mamori/services';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { localeOf, word, type ApiLocale } from '@mamori/services/words';

export type ProblemCode = ErrorCode | 'internal' | 'too_large' | 'rate_limited';

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
	invalid: 400,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	unavailable: 503,
	timeout: 503
};

const LOCALES = ['ja', 'en'] as const satisfies readonly ApiLocale[];

const wording = z.object({ title: z.string(), detail: z.string() });

/** Problem details as the document describes them (a component of /v1/openapi.json). */
export const problemSchema = z
	.object({
		type: z.string().openapi({ example: 'urn:mamori:problem:invalid' }),
		title: z.string(),
		status: z.number().int(),
		detail: z.string(),
		code: z.enum([
			'invalid',
			'forbidden',
			'not_found',
			'conflict',
			'unavailable',
			'timeout',
			'internal',
			'too_large',
			'rate_limited'
		]),
		/** For a refusal: why (unauthenticated, forbidden, suspended). */
		reason: z.string().optional(),
		errors: z
			.array(
				z.object({
					field: z.string(),
					detail: z.string(),
					messages: z.object({ ja: z.string(), en: z.string() })
				})
			)
			.optional(),
		/** For a conflict (409): the item as it is saved now. */
		current: z.unknown().optional(),
		messages: z.object({ ja: wording, en: wording })
	})
	.openapi('Problem', {
		description:
			'RFC 9457 problem details. title and detail are in the language of Accept-Language (ja by default); messages holds both languages.'
	});

export type Problem = z.infer<typeof problemSchema>;

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The problem answers an operation may give, for its createRoute `responses`. */
export function problems<S extends 400 | 403 | 404 | 409 | 413 | 429 | 503>(...statuses: S[]) {
	const described: Record<number, string> = {
		400: 'Invalid input (検証エラー): a message per field',
		401: 'No valid token (未認証): a session or a city’s API token, as Authorization: Bearer …',
		403: 'Refused (拒否): not allowed to do this here',
		404: 'Not found (見つかりません)',
		409: 'Stale version (競合): the item as saved now is in current',
		413: 'Body too large (大きすぎる送信)',
		429: 'Rate limited (リクエスト過多): see Retry-After',
		503: 'Database unavailable (利用不可): see Retry-After'
	};
	// What may refuse (403) asks for credentials first (401).
	const refusals = statuses.includes(403 as S) ? [401] : [];
	return Object.fromEntries(
		[...new Set([...statuses, ...refusals, 413, 429, 503] as S[])].map((s) => [
			s,
			{ description: described[s]!, content: problemContent }
		])
	) as Record<S | 401 | 413 | 429 | 503, { description: string; content: typeof problemContent }>;
}

const both = (message: Message) =>
	Object.fromEntries(LOCALES.map((l) => [l, word(l, message)])) as Record<ApiLocale, string>;

interface Wording {
	title: Message;
	detail: Message;
}

function answer(
	c: Context,
	status: number,
	code: ProblemCode,
	text: Wording,
	extra: Omit<Partial<Problem>, 'errors'> & { issues?: Record<string, Message> } = {},
	headers: Record<string, string> = {}
) {
	const locale = localeOf(c.req.header('accept-language'));
	const { issues, ...members } = extra;
	const problem: Problem = {
		type: `urn:mamori:problem:${code}`,
		title: word(locale, text.title),
		status,
		detail: word(locale, text.detail),
		code,
		...members,
		...(issues
			? {
					errors: Object.entries(issues).map(([field, m]) => ({
						field,
						detail: word(locale, m),
						messages: both(m)
					}))
				}
			: {}),
		messages: {
			ja: { title: word('ja', text.title), detail: word('ja', text.detail) },
			en: { title: word('en', text.title), detail: word('en', text.detail) }
		}
	};
	return c.body(JSON.stringify(problem), status as ContentfulStatusCode, {
		'content-type': 'application/problem+json; charset=utf-8',
		'content-language': locale,
		...headers
	});
}

/** The problem answer for an error thrown by a handler, a middleware or a service. */
export function problemResponse(c: Context, error: unknown) {
	const service = asServiceError(error);
	if (!service) {
		console.error(error);
		return answer(c, 500, 'internal', {
			title: { key: 'error_title_internal' },
			detail: { key: 'error_unexpected' }
		});
	}
	const status = statusOf[service.code];
	const title = { key: `error_title_${service.code}` };
	switch (service.code) {
		case 'invalid':
			return answer(
				c,
				status,
				service.code,
				{ title, detail: { key: 'error_invalid_input' } },
				{ issues: (service as InvalidError).issues }
			);
		case 'forbidden': {
			const reason = service instanceof AccessDeniedError ? service.reason : 'forbidden';
			// No credentials, or none that are valid: 401 with the scheme to use (RFC 9110 §11.6.1).
			if (reason === 'unauthenticated')
				return answer(
					c,
					401,
					service.code,
					{ title, detail: { key: `error_denied_${reason}` } },
					{ reason },
					{ 'www-authenticate': 'Bearer realm="mamori"' }
				);
			return answer(c, status, service.code, { title, detail: { key: `error_denied_${reason}` } }, { reason });
		}
		case 'conflict':
			return answer(
				c,
				status,
				service.code,
				{ title, detail: { key: 'error_conflict' } },
				{ current: (service as ConflictError).current }
			);
		case 'not_found':
			return answer(c, status, service.code, { title, detail: { key: 'error_api_not_found' } });
		case 'unavailable':
		case 'timeout':
			console.error('database unavailable', error);
			return answer(
				c,
				status,
				service.code,
				{ title, detail: { key: 'error_api_unavailable' } },
				{},
				{ 'retry-after': '30' }
			);
	}
}

/** 413: the body is larger than the API takes (middleware/limits.ts), refused before it is read. */
export function tooLargeResponse(c: Context, maxBytes: number) {
	return answer(c, 413, 'too_large', {
		title: { key: 'error_title_too_large' },
		detail: { key: 'error_api_too_large', params: { max: maxBytes } }
	});
}

/** 429: over a rate limit (middleware/limits.ts); Retry-After says when the window has passed. */
export function rateLimitedResponse(c: Context, retryAfterSeconds: number) {
	return answer(
		c,
		429,
		'rate_limited',
		{
			title: { key: 'error_title_rate_limited' },
			detail: { key: 'error_api_rate_limited', params: { seconds: retryAfterSeconds } }
		},
		{},
		{ 'retry-after': String(retryAfterSeconds) }
	);
}
