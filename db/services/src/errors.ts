// The one error family of the services. Every error a user can cause is a ServiceError with a
// `code`; each surface maps the codes once (apps/web/src/lib/server/errors.ts, workers/api
// problem.ts). Services never word a message: they name a catalogue key (apps/web/messages) and
// its params, and the surface words it in the request's language.
import { isOutcomeUnknown, isUnreachable } from '@mamori/db';
import type { z } from 'zod';

export type ErrorCode = 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'unavailable' | 'timeout';

/** A catalogue key with its params; a param may itself be a message (a field's name). */
export interface Message {
	key: string;
	params?: Record<string, string | number | Message>;
}

/** Field errors: the field's path (`metrics.0.label`, or `form` for the whole form) → message. */
export type FieldIssues = Record<string, Message>;

export class ServiceError extends Error {
	override readonly name: string = 'ServiceError';
	readonly code: ErrorCode;
	constructor(code: ErrorCode, detail?: string, options?: ErrorOptions) {
		super(detail ?? code, options);
		this.code = code;
	}
}

export class NotFoundError extends ServiceError {
	override readonly name = 'NotFoundError';
	constructor(what = 'item') {
		super('not_found', `${what} not found`);
	}
}

export type Denial = 'unauthenticated' | 'forbidden' | 'suspended';

/** Refused by the authoriser (auth/policy.ts); `reason` says why. */
export class AccessDeniedError extends ServiceError {
	override readonly name = 'AccessDeniedError';
	readonly reason: Denial;
	readonly action: string;
	constructor(action: string, reason: Denial) {
		super('forbidden', `${action}: ${reason}`);
		this.action = action;
		this.reason = reason;
	}
}

/** A stale write. Carries the row as it is saved now, so the page can show what changed. */
export class ConflictError<T = unknown> extends ServiceError {
	override readonly name = 'ConflictError';
	readonly current: T;
	constructor(current: T) {
		super('conflict', 'version conflict');
		this.current = current;
	}
}

/** The input is invalid: a message per field, shown beside the field. */
export class InvalidError extends ServiceError {
	override readonly name = 'InvalidError';
	readonly issues: FieldIssues;
	constructor(issues: FieldIssues) {
		super(
			'invalid',
			Object.entries(issues)
				.map(([field, m]) => `${field}: ${m.key}`)
				.join(', ')
		);
		this.issues = issues;
	}
}

export class UnavailableError extends ServiceError {
	override readonly name = 'UnavailableError';
	constructor(cause?: unknown) {
		super('unavailable', 'database unavailable', { cause });
	}
}

export class TimeoutError extends ServiceError {
	override readonly name = 'TimeoutError';
	constructor(what = 'operation') {
		super('timeout', `${what} timed out`);
	}
}

/** The field errors of one field: `invalid('name', 'error_department_name_taken')`. */
export function invalid(field: string, key: string, params?: Message['params']): InvalidError {
	return new InvalidError({ [field]: params ? { key, params } : { key } });
}

/**
 * The service error an error stands for: itself, a database request abandoned at its deadline or
 * whose connection was lost after it was sent as `timeout` (a write's outcome is then unknown: the
 * server may have applied it, or yet apply it), or an unreachable database as `unavailable`. Anything else is a bug and stays what it is (the surfaces answer 500
 * and log it).
 */
export function asServiceError(error: unknown): ServiceError | null {
	if (error instanceof ServiceError) return error;
	if (isOutcomeUnknown(error)) return new TimeoutError('database request');
	if (isUnreachable(error)) return new UnavailableError(error);
	return null;
}

// Zod carries a message as a string, so a schema's message is a catalogue key with its params
// encoded after it as JSON: `validation_too_long{"field":{"key":"field_title"},"max":200}`.

/** The zod `error` of a schema: `z.string().max(5, { error: zodMessage('validation_too_long', …) })`. */
export function zodMessage(key: string, params?: Message['params']): string {
	return params ? `${key}${JSON.stringify(params)}` : key;
}

/** The field's name as a message param: `{ field: fieldName('title') }` → key `validation_field_title`. */
export function fieldName(name: string): Message {
	return { key: `validation_field_${name}` };
}

const KEYED = /^[a-z][a-z0-9_]*(\{|$)/;

/** Decodes a message written by `zodMessage`; zod's own (English) defaults become `validation_invalid`. */
export function decodeMessage(text: string): Message {
	if (!KEYED.test(text)) return { key: 'validation_invalid' };
	const brace = text.indexOf('{');
	if (brace < 0) return { key: text };
	try {
		return { key: text.slice(0, brace), params: JSON.parse(text.slice(brace)) as Message['params'] };
	} catch {
		return { key: text };
	}
}

/** Zod issues → field issues, the first message per field. */
export function issuesOf(error: z.ZodError): FieldIssues {
	const out: FieldIssues = {};
	for (const issue of error.issues) {
		const key = issue.path.join('.') || 'form';
		out[key] ??= decodeMessage(issue.message);
	}
	return out;
}

/** Parses a verb's raw input with its schema; invalid input becomes an InvalidError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
	const parsed = schema.safeParse(input);
	if (!parsed.success) throw new InvalidError(issuesOf(parsed.error));
	return parsed.data;
}
