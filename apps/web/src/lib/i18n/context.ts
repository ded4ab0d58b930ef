import { getContext, setContext } from 'svelte';
import { translate, type Locale, type MessageKey } from './index.ts';

export type Translator = (key: MessageKey, params?: Record<string, string | number>) => string;

const KEY = Symbol('i18n');

export function provideTranslator(locale: () => Locale): void {
	setContext<Translator>(KEY, (key, params) => translate(locale(), key, params));
}

export function useT(): Translator {
	return getContext<Translator>(KEY);
}
