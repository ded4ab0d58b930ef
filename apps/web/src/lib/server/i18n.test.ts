import { describe, expect, it } from 'vitest';
import ja from '../../../messages/ja.json';
import en from '../../../messages/en.json';
import { isMessageKey, translate } from './i18n.ts';

describe('translate (keys known only at run time, on the server)', () => {
	it('answers in the locale asked for, whatever the request', () => {
		expect(translate('ja', 'error_forbidden')).toBe(ja.error_forbidden);
		expect(translate('en', 'error_forbidden')).toBe(en.error_forbidden);
	});

	it('fills parameters, numbers the locale way', () => {
		expect(translate('ja', 'home_cities_count', { count: 1234 })).toBe('1,234 団体');
		expect(translate('en', 'invite_for', { email: 'a@b.example' })).toContain('a@b.example');
	});

	it('knows every key of the catalogue, and nothing else', () => {
		for (const key of Object.keys(ja).filter((k) => k !== '$schema')) expect(isMessageKey(key)).toBe(true);
		expect(isMessageKey('no_such_message')).toBe(false);
		expect(isMessageKey('toString')).toBe(false);
	});

	it('the two catalogues have the same keys', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
	});
});
