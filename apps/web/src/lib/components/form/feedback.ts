// The one way a page reads what an action answered for one of its forms: the values to show
// (what the user typed after a refused submit, otherwise the stored ones), the field errors, the
// row as it is saved now after a conflict, and whether it was saved.
export type FormAnswer = {
	form?: string;
	saved?: boolean;
	errors?: Record<string, string>;
	conflict?: unknown;
	values?: Record<string, unknown>;
};

export interface Feedback<V> {
	readonly answered: boolean;
	readonly values: V;
	readonly errors: Record<string, string>;
	readonly conflict: unknown;
	readonly saved: boolean;
	readonly failed: boolean;
	/**
	 * What a field of the kit takes from it: `<TextField {...answer.field('title')} … />`; `prefix`
	 * keeps apart the ids of two forms of one page with fields of the same name.
	 */
	field(
		name: keyof V & string,
		prefix?: string
	): { name: string; id: string; value: unknown; error: string | undefined };
}

/**
 * `form` is the page's `form` prop (read lazily so that it stays reactive), `name` the form's
 * name in the action's answer (null on a page with one form, whose answer names none), `stored`
 * the values of the item as loaded.
 */
export function feedback<V extends Record<string, unknown>>(
	form: () => unknown,
	name: string | null,
	stored: () => V
): Feedback<V> {
	const mine = (): FormAnswer | null => {
		const answer = form() as FormAnswer | null | undefined;
		return answer && (name === null || answer.form === name) ? answer : null;
	};
	return {
		get answered() {
			return mine() !== null;
		},
		get values() {
			const typed = mine()?.values;
			return (typed ? { ...stored(), ...typed } : stored()) as V;
		},
		get errors() {
			return mine()?.errors ?? {};
		},
		get conflict() {
			return mine()?.conflict ?? null;
		},
		get saved() {
			return mine()?.saved === true;
		},
		get failed() {
			const answer = mine();
			return answer !== null && (Object.keys(answer.errors ?? {}).length > 0 || answer.conflict != null);
		},
		field(name, prefix = '') {
			return { name, id: `${prefix}${name}`, value: this.values[name], error: this.errors[name] };
		}
	};
}
