// Field issues worded as a surface shows them, for assertions on the messages themselves.
import type { FieldIssues } from '../src/errors.ts';
import { word, type ApiLocale } from '../src/words.ts';

export function worded(issues: FieldIssues, locale: ApiLocale = 'ja'): Record<string, string> {
	return Object.fromEntries(Object.entries(issues).map(([field, m]) => [field, word(locale, m)]));
}
