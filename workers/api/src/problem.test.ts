// Runs inside workerd against a real sqld: every refusal of the API is RFC 9457 problem details,
// worded in the language of Accept-Language (Japanese by default), with no Japanese in English,
// and carrying both wordings, Japanese and English, in `messages`.
import { env } from 'cloudflare:workers';
import { openCore } from '@mamori/db';
import { signIn } from '@mamori/services/auth';
import { describe, expect, inject, it } from 'vitest';
import { app } from './app.ts';
import type { Problem } from './problem.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
/** Seven probes, each in three languages: room for a busy machine (nothing here measures time). */
const PROBES = 30_000;

async function bearer(email: string): Promise<string> {
	const result = await signIn({
		core: openCore({ url: inject('coreUrl') }),
		input: { email, password: 'mamori-demo' }
	});
	if (!result.ok) throw new Error(`cannot sign in as ${email}`);
	return `Bearer ${result.token}`;
}

// One sign-in for the file (a password hash is the slow part of every probe).
let viewerToken: Promise<string> | undefined;

async function problems(language: string | undefined) {
	const viewer = await (viewerToken ??= bearer('viewer@meguro.example'));
	const headers = (extra: Record<string, string> = {}) => ({
		...(language ? { 'accept-language': language } : {}),
		...extra
	});
	const asked: [string, string, RequestInit, Record<string, unknown>?][] = [
		['invalid code', '/v1/municipalities/012132', { headers: headers() }],
		['unknown municipality', '/v1/municipalities/999997', { headers: headers() }],
		['no such route', '/v1/nothing-here', { headers: headers() }],
		['anonymous', '/v1/cities/meguro/overview', { headers: headers() }],
		['unknown city', '/v1/cities/no-such-city/overview', { headers: headers({ authorization: viewer }) }],
		['bad limit', '/v1/cities/meguro/history?limit=0', { headers: headers({ authorization: viewer }) }]
	];
	const out: { name: string; status: number; type: string | null; language: string | null; body: Problem }[] = [];
	for (const [name, url, init] of asked) {
		const response = await app.request(url, init, bindings());
		out.push({
			name,
			status: response.status,
			type: response.headers.get('content-type'),
			language: response.headers.get('content-language'),
			body: (await response.json()) as Problem
		});
	}
	const down = await app.request(
		'/v1/taxonomy',
		{ headers: headers() },
		{ ...env, CORE_DATABASE_URL: 'http://localhost:1/dev/core/' }
	);
	out.push({
		name: 'database down',
		status: down.status,
		type: down.headers.get('content-type'),
		language: down.headers.get('content-language'),
		body: (await down.json()) as Problem
	});
	return out;
}

const texts = (p: Problem) => [p.title, p.detail, ...(p.errors ?? []).map((e) => e.detail)];

describe('API problem details (workerd)', () => {
	it(
		'answers every refusal as problem+json with the right status',
		async () => {
			const all = await problems(undefined);
			expect(all.map((p) => [p.name, p.status])).toEqual([
				['invalid code', 400],
				['unknown municipality', 404],
				['no such route', 404],
				['anonymous', 401],
				['unknown city', 404],
				['bad limit', 400],
				['database down', 503]
			]);
			for (const p of all) {
				expect(p.type, p.name).toMatch(/^application\/problem\+json/);
				expect(p.body.status, p.name).toBe(p.status);
				expect(p.body.type, p.name).toMatch(/^urn:mamori:problem:/);
				expect(p.body.title && p.body.detail, p.name).toBeTruthy();
			}
			// Japanese by default, word for word as before.
			expect(all.find((p) => p.name === 'anonymous')!.body).toMatchObject({
				detail: 'この操作にはサインインが必要です。',
				reason: 'unauthenticated'
			});
			expect(all.find((p) => p.name === 'bad limit')!.body.errors).toEqual([
				{
					field: 'limit',
					detail: '件数は1から500までで指定してください。',
					messages: { ja: '件数は1から500までで指定してください。', en: 'The limit must be between 1 and 500.' }
				}
			]);
		},
		PROBES
	);

	it(
		'carries the Japanese and the English wording of every problem, whatever was asked',
		async () => {
			for (const language of [undefined, 'en']) {
				for (const p of await problems(language)) {
					const { ja, en } = p.body.messages;
					expect(ja.title && ja.detail, p.name).toBeTruthy();
					expect(ja.detail, p.name).toMatch(JAPANESE);
					for (const text of [en.title, en.detail]) expect(text, `${p.name}: ${text}`).not.toMatch(JAPANESE);
					expect(p.body.detail, p.name).toBe(language === 'en' ? en.detail : ja.detail);
					expect(p.body.title, p.name).toBe(language === 'en' ? en.title : ja.title);
				}
			}
		},
		PROBES
	);

	it(
		'words every problem in English for Accept-Language: en, with no Japanese at all',
		async () => {
			for (const language of ['en', 'en-GB,en;q=0.9', 'fr, en;q=0.5, ja;q=0.1']) {
				const all = await problems(language);
				expect(all).toHaveLength(7);
				for (const p of all) {
					expect(p.language, `${language} ${p.name}`).toBe('en');
					for (const text of texts(p.body)) expect(text, `${language} ${p.name}: ${text}`).not.toMatch(JAPANESE);
				}
				expect(all.find((p) => p.name === 'invalid code')!.body.errors).toMatchObject([
					{ field: 'code', detail: 'The check digit of the municipality code is wrong.' }
				]);
			}
		},
		PROBES
	);
});
