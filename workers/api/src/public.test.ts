// Runs inside workerd against a real sqld with the seed: the public endpoints (no token) answer
// JSON and CSV (UTF-8 with a BOM), refuse bad parameters with a 400 problem and answer 404 for
// what is not there, and a city's plan only when the city shows it (the seed opens 小金井市's).
import { env } from 'cloudflare:workers';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';
import { app } from './app.ts';
import { Hono } from 'hono';
import { csvResponse } from './formats.ts';
import type { Problem } from './problem.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers }, bindings());

async function json<T>(path: string): Promise<T> {
	const response = await get(path);
	expect(response.status, path).toBe(200);
	expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
	return ((await response.json()) as { data: T }).data;
}

/** The rows of a CSV answer (header first), after checking it is UTF-8 CSV with a BOM. */
async function csv(path: string, headers: Record<string, string> = {}): Promise<string[][]> {
	const response = await get(path, headers);
	expect(response.status, path).toBe(200);
	expect(response.headers.get('content-type'), path).toBe('text/csv; charset=utf-8');
	const bytes = new Uint8Array(await response.arrayBuffer());
	expect([...bytes.slice(0, 3)], `${path} starts with a BOM`).toEqual([0xef, 0xbb, 0xbf]);
	const text = new TextDecoder().decode(bytes.slice(3));
	return Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
}

async function problem(path: string, status: number): Promise<Problem> {
	const response = await get(path);
	expect(response.status, path).toBe(status);
	expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
	return (await response.json()) as Problem;
}

describe('public API: taxonomy and shared indicators (workerd)', () => {
	it('serves the taxonomy in force and each published version, JSON and CSV', async () => {
		const inForce = await json<{
			version: number;
			inForce: boolean;
			categories: { code: string }[];
			versions: { version: number }[];
		}>('/v1/taxonomy');
		expect(inForce).toMatchObject({ version: 1, inForce: true });
		expect(inForce.versions.map((v) => v.version)).toEqual([1]); // version 2 is a draft in the seed
		const v1 = await json<typeof inForce>('/v1/taxonomy/1');
		expect(v1.categories).toEqual(inForce.categories);
		const rows = await csv('/v1/taxonomy/1?format=csv');
		expect(rows[0]).toEqual(['version', 'code', 'parent_code', 'name_ja', 'name_en', 'definition', 'definition_en']);
		expect(rows.slice(1).map((r) => r[1])).toEqual(inForce.categories.map((c) => c.code));
		// Accept: text/csv asks for the same.
		expect(await csv('/v1/taxonomy', { accept: 'text/csv' })).toEqual(rows);
	});

	it('refuses a version that is not a number, and answers 404 for a draft or missing version', async () => {
		expect((await problem('/v1/taxonomy/abc', 400)).errors?.map((e) => e.field)).toEqual(['version']);
		await problem('/v1/taxonomy/0', 400);
		await problem('/v1/taxonomy?format=xml', 400);
		await problem('/v1/taxonomy/2', 404); // a draft is nobody's to read
		await problem('/v1/taxonomy/99', 404);
	});

	it('serves the shared indicators with their versions, one by code, JSON and CSV', async () => {
		const all = await json<{ code: string; version: number; unit: string }[]>('/v1/indicators');
		expect(all.length).toBeGreaterThanOrEqual(5);
		const runs = all.find((i) => i.code === 'patrol_runs')!;
		expect(runs.version).toBeGreaterThanOrEqual(1);
		expect(await json('/v1/indicators/patrol_runs')).toEqual(runs);
		const rows = await csv('/v1/indicators?format=csv');
		expect(rows[0]!.slice(0, 2)).toEqual(['code', 'version']);
		expect(rows.length).toBe(all.length + 1);
	});

	it('refuses a malformed indicator code (400) and answers 404 for an unknown one', async () => {
		expect((await problem('/v1/indicators/Not-A-Code', 400)).errors?.map((e) => e.field)).toEqual(['code']);
		await problem('/v1/indicators/no_such_indicator', 404);
	});
});

describe('public API: cities and their published plans (workerd)', () => {
	it('lists the subscribed cities, of a prefecture when asked, JSON and CSV', async () => {
		const all = await json<{ slug: string; prefectureCode: string; residentPage: boolean }[]>('/v1/cities');
		expect(all.map((c) => c.slug).sort()).toEqual(['koganei', 'meguro', 'tomakomai']);
		expect(all.find((c) => c.slug === 'koganei')!.residentPage).toBe(true);
		expect((await json<{ slug: string }[]>('/v1/cities?prefecture=13')).map((c) => c.slug).sort()).toEqual([
			'koganei',
			'meguro'
		]);
		expect(await json('/v1/cities?prefecture=02')).toEqual([]);
		const rows = await csv('/v1/cities?prefecture=01&format=csv');
		expect(rows).toEqual([
			['slug', 'municipality_code', 'name', 'prefecture_code', 'prefecture_name', 'resident_page'],
			['tomakomai', '012131', '苫小牧市', '01', '北海道', 'false']
		]);
		expect((await problem('/v1/cities?prefecture=48', 400)).errors?.map((e) => e.field)).toEqual(['prefecture']);
	});

	it('serves a city’s published plan and progress, only of its published years', async () => {
		type Plan = {
			city: { slug: string; name: string };
			publishedYears: number[];
			fiscalYear: number;
			initiatives: { code: string | null; title: string; records: { fiscalYear: number }[] }[];
			kpis: { values: { periodYear: number }[] }[];
		};
		const plan = await json<Plan>('/v1/cities/koganei/plan');
		expect(plan.city).toMatchObject({ slug: 'koganei', name: '小金井市' });
		expect(plan.publishedYears).toEqual([2018, 2019]);
		expect(plan.fiscalYear).toBe(2019);
		expect(plan.initiatives.length).toBeGreaterThan(0);
		// Nothing of a year it has not published (its 2020 round is open in the seed).
		for (const i of plan.initiatives) for (const r of i.records) expect([2018, 2019]).toContain(r.fiscalYear);
		for (const k of plan.kpis) for (const v of k.values) expect([2018, 2019]).toContain(v.periodYear);
		expect((await json<Plan>('/v1/cities/koganei/plan?fiscalYear=2018')).fiscalYear).toBe(2018);
		const rows = await csv('/v1/cities/koganei/plan?format=csv&fiscalYear=2018');
		expect(rows[0]).toEqual([
			'fiscal_year',
			'area_code',
			'area',
			'initiative_code',
			'initiative',
			'departments',
			'status',
			'records'
		]);
		expect(rows.length).toBe(plan.initiatives.length + 1);
		expect(rows.slice(1).every((r) => r[0] === '2018')).toBe(true);
	});

	it('refuses a bad fiscal year or format (400); a city that shows nothing is not found (404)', async () => {
		expect((await problem('/v1/cities/koganei/plan?fiscalYear=abc', 400)).errors?.map((e) => e.field)).toEqual([
			'fiscalYear'
		]);
		await problem('/v1/cities/koganei/plan?fiscalYear=1800', 400);
		await problem('/v1/cities/koganei/plan?format=xml', 400);
		// 目黒区 has not opened its resident page: answered exactly as a city that does not exist.
		const closed = await problem('/v1/cities/meguro/plan', 404);
		const missing = await problem('/v1/cities/no-such-city/plan', 404);
		expect(closed).toEqual(missing);
	});
});

describe('public API: benchmark facts (workerd)', () => {
	type View = {
		prefectureCode: string;
		indicator: { code: string };
		fiscalYear: number | null;
		years: number[];
		facts: {
			municipalityCode: string | null;
			name: string | null;
			value: number | null;
			normalised: number | null;
			rank: number | null;
			fiscalYear: number;
		}[];
	};

	it('serves the facts of a prefecture, indicator and fiscal year; a city that does not share its name is not named', async () => {
		const view = await json<View>('/v1/benchmarks/13/bicycle_thefts?fiscalYear=2020');
		expect(view).toMatchObject({ prefectureCode: '13', indicator: { code: 'bicycle_thefts' }, fiscalYear: 2020 });
		expect(view.years).toContain(2020);
		expect(view.facts.length).toBeGreaterThan(0);
		for (const f of view.facts) {
			expect(f.fiscalYear).toBe(2020);
			// The seed's cities do not share their names (tenants.share_name): nothing that would name them.
			expect(f).toMatchObject({ municipalityCode: null, name: null, value: null });
			expect(f.normalised).not.toBeNull();
		}
		expect(JSON.stringify(view)).not.toMatch(/目黒|小金井|131105|132101/);
		const newest = await json<View>('/v1/benchmarks/13/bicycle_thefts');
		expect(newest.fiscalYear).toBe(newest.years[0]);
		const rows = await csv('/v1/benchmarks/13/bicycle_thefts?fiscalYear=2020&format=csv');
		expect(rows[0]!.slice(0, 4)).toEqual(['fiscal_year', 'municipality_code', 'name', 'value']);
		expect(rows.length).toBe(view.facts.length + 1);
	});

	it('refuses a bad prefecture, indicator code or year (400); an unknown indicator is not found (404)', async () => {
		expect((await problem('/v1/benchmarks/48/bicycle_thefts', 400)).errors?.map((e) => e.field)).toEqual([
			'prefecture'
		]);
		expect((await problem('/v1/benchmarks/13/Bad-Code', 400)).errors?.map((e) => e.field)).toEqual(['indicator']);
		await problem('/v1/benchmarks/13/bicycle_thefts?fiscalYear=abc', 400);
		await problem('/v1/benchmarks/13/no_such_indicator', 404);
	});
});

describe('CSV of the public API', () => {
	it('escapes text that a spreadsheet would run as a formula, not numbers', async () => {
		const answer = await new Hono()
			.get('/', (c) =>
				csvResponse(
					c,
					'sample',
					['text', 'number'],
					[
						['=HYPERLINK("x")', -5],
						['@SUM(A1)', 3]
					]
				)
			)
			.request('/');
		const bytes = new Uint8Array(await answer.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM (text() would drop it)
		const text = new TextDecoder().decode(bytes); // decoding drops the BOM
		const [, ...rows] = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
		expect(rows).toEqual([
			[`'=HYPERLINK("x")`, '-5'],
			[`'@SUM(A1)`, '3']
		]);
	});
});
