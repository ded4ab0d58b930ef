// The one i18n catalogue: messages/<locale>.json (inlang message format). Japanese first.
import ja from '../../../messages/ja.json';
import en from '../../../messages/en.json';

export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export type MessageKey = Exclude<keyof typeof ja, '$schema'>;

const catalogues: Record<Locale, Record<string, string>> = { ja, en };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const template = catalogues[locale][key] ?? catalogues.ja[key] ?? key;
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) return `{${name}}`;
		return typeof value === 'number' ? value.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US') : value;
	});
}
