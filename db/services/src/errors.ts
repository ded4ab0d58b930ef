// Typed errors of the services layer; the HTTP layers map them to status codes and messages.

/** The input is invalid: messages per field, in Japanese, shown beside the fields. */
export class ValidationError extends Error {
	override readonly name = 'ValidationError';
	readonly fieldErrors: Record<string, string>;
	constructor(fieldErrors: Record<string, string>) {
		super(Object.values(fieldErrors).join(' '));
		this.fieldErrors = fieldErrors;
	}
}

export class NotFoundError extends Error {
	override readonly name = 'NotFoundError';
}

/**
 * A stale write: the row changed since the editor loaded it. Carries the current row so the page
 * can show what changed and let the user reapply their change.
 */
export class ConflictError<T = unknown> extends Error {
	override readonly name = 'ConflictError';
	readonly current: T;
	constructor(current: T) {
		super('この項目は他の人によって更新されています。');
		this.current = current;
	}
}
