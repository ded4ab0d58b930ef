import { describe, expect, it } from 'vitest';
import { safeNext, secureCookies } from './session.ts';

describe('session cookie settings', () => {
	const event = (url: string, MAMORI_ENV?: string) => ({
		url: new URL(url),
		platform: { env: { CORE_DATABASE_URL: 'x', ...(MAMORI_ENV ? { MAMORI_ENV } : {}) } } as App.Platform
	});

	it('Secure in production and on any https origin; not on local http (browsers would drop it)', () => {
		expect(secureCookies(event('http://127.0.0.1:8787/login', 'production'))).toBe(true);
		expect(secureCookies(event('https://mamori.example/login', 'development'))).toBe(true);
		expect(secureCookies(event('http://127.0.0.1:8787/login', 'development'))).toBe(false);
	});

	it('goes back only to a path of this site after signing in', () => {
		expect(safeNext('/meguro/kpis?year=2024')).toBe('/meguro/kpis?year=2024');
		for (const bad of [
			'https://evil.example/',
			'//evil.example/x',
			'/\\evil.example',
			'javascript:alert(1)',
			'',
			null,
			'/login?next=/x'
		])
			expect(safeNext(bad)).toBe('/');
	});
});
