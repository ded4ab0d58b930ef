// The one server-only translation of a message whose key is known only at run time (denials,
// error pages, mail, codes from services). Everything else calls its message function directly
// (`m.some_key()`), so that pages ship only the messages they use; this module pulls in the whole
// catalogue and must never be imported by client code (it lives under $lib/server to make sure).
import { m } from '$lib/paraglide/messages';
import { defineCustomServerStrategy, isLocale, type Locale } from '$lib/paraglide/runtime';

export type MessageKey = keyof typeof m;
export type MessageParams = Record<string, string | number>;

// `?lang=ja|en` chooses the language before the cookie does (see paraglide.config.ts's strategy);
// handleLocale then keeps the choice in the `lang` cookie.
defineCustomServerStrategy('custom-query', {
	getLocale: (request) => {
		const asked = request ? new URL(request.url).searchParams.get('lang') : null;
		return isLocale(asked) ? asked : undefined;
	}
});

export function isMessageKey(key: unknown): key is MessageKey {
	return typeof key === 'string' && Object.hasOwn(m, key);
}

/** Numbers are written the locale's way (1,234), as the message functions' callers do. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
	const inputs = Object.fromEntries(
		Object.entries(params).map(([name, value]) => [
			name,
			typeof value === 'number' ? value.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US') : value
		])
	);
	const message = m[key] as (inputs: MessageParams, options: { locale: Locale }) => string;
	return message(inputs, { locale });
}
