// What wires a control to its hint and error (FieldHint, FieldError), for every field of the kit.

/** The ids of the field's hint and error that are shown, for `aria-describedby`. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
	return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

/** A value as the text its control shows: nothing for null or undefined. */
export function textOf(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}
