// Words a service message (errors.ts) from the one catalogue, apps/web/messages, for the surfaces
// that are not the web app: the API (in the language of Accept-Language) and tests. The web app
// words through its own i18n module (apps/web/src/lib/server/errors.ts). Verbs never call this;
// mail to people other than the one asking (mentions in comments) is worded here, in Japanese.
import en from '../../../apps/web/messages/en.json';
import ja from '../../../apps/web/messages/ja.json';
import type { Message } from './errors.ts';

export type ApiLocale = 'ja' | 'en';
const catalogues: Record<ApiLocale, Record<string, string>> = { ja, en };

/** The first language of Accept-Language (by weight) that the catalogue has. */
export function localeOf(acceptLanguage: string | undefined | null): ApiLocale {
	const asked = (acceptLanguage ?? '')
		.split(',')
		.map((part, index) => {
			const [tag = '', ...rest] = part.trim().split(';');
			const q = rest.map((r) => /^\s*q=([\d.]+)/.exec(r)?.[1]).find(Boolean);
			return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
		})
		.filter((l) => l.tag && l.q > 0)
		.sort((a, b) => b.q - a.q || a.index - b.index);
	for (const { tag } of asked) {
		const base = tag.split('-')[0];
		if (base === 'ja' || base === 'en') return base;
	}
	return 'ja';
}

export function word(locale: ApiLocale, message: Message): string {
	const template = catalogues[locale][message.key] ?? catalogues.ja[message.key] ?? message.key;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = message.params?.[name];
		if (value === undefined) return whole;
		if (typeof value === 'object') return word(locale, value);
		return typeof value === 'number' ? value.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US') : value;
	});
}
