import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, openTenant, type CoreDb, type DatabaseLocation, type TenantDb } from '@mamori/db';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import { auditLog, initiativeCategories, initiatives, taxonomyAdoptions } from '@mamori/db/tenant';
import { seededCity, seededCore, seedsDir } from '../../test/seeded.ts';
import { readCoreSeeds } from '../seed/core.ts';
import { testContext } from '../../test/context.ts';
import { savedForm } from '../../test/initiative-form.ts';
import { publishFiscalYear } from '../benchmarks/publish.ts';
import { coverageView } from '../benchmarks/views.ts';
import { coreContext } from '../context.ts';
import { ConflictError, InvalidError } from '../errors.ts';
import { listHistory } from '../plan/audit.ts';
import { confirmCategories, readInitiative, updateInitiative } from '../plan/initiatives.ts';
import { readPlanOverview } from '../plan/overview.ts';
import { addYearlyRecord } from '../plan/records.ts';
import { readSharedCodes } from '../taxonomy.ts';
import {
	mapCategories,
	previewTaxonomyVersion,
	publishTaxonomyVersion,
	type TaxonomyMapping
} from './taxonomy-migration.ts';

const slugs = ['meguro', 'koganei', 'tomakomai'] as const;
type Slug = (typeof slugs)[number];

const operator = {
	userId: 'operator-1',
	email: 'operator@example.jp',
	displayName: '運用 担当者',
	isOperator: true,
	memberships: [],
	prefectures: []
};

/** Each initiative's codes, in order, by title (titles repeat across nodes: a list per title). */
async function categorisation(db: TenantDb) {
	const [rows, links] = await db.batch([
		db.select({ id: initiatives.id, title: initiatives.title }).from(initiatives),
		db.select().from(initiativeCategories).orderBy(initiativeCategories.position)
	]);
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		codes: links.filter((l) => l.initiativeId === r.id).map((l) => l.categoryCode)
	}));
}

/** The mapping as seeds/taxonomy-v1-to-v2.yaml declares it. */
const declaredMapping = (): TaxonomyMapping =>
	new Map(
		(
			parse(readFileSync(`${seedsDir}/taxonomy-v1-to-v2.yaml`, 'utf8')) as { codes: { code: string; rules: never[] }[] }
		).codes.map((c) => [c.code, c.rules])
	);

const recategorised = (db: TenantDb) => db.select().from(auditLog).where(eq(auditLog.action, 'recategorise'));

describe('the declared mapping, checked on seed load', () => {
	it('a code version 2 retires but the mapping leaves out is refused, naming file and code', () => {
		const dir = mkdtempSync(join(tmpdir(), 'mamori-seeds-'));
		cpSync(seedsDir, dir, { recursive: true });
		const file = join(dir, 'taxonomy-v1-to-v2.yaml');
		writeFileSync(file, readFileSync(file, 'utf8').replace('  - code: women_dv', '  - code: victim_support_again'));
		try {
			expect(() => readCoreSeeds(dir)).toThrow(
				/taxonomy-v1-to-v2\.yaml:\d+: .*women_dv is retired in version 2 but not mapped/s
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('taxonomy version 2: publishing it moves every city by the declared mapping (real sqld)', () => {
	let coreLocation: DatabaseLocation;
	let preview2Codes: string[] = [];
	let coreDb: CoreDb;
	const city = {} as Record<Slug, Awaited<ReturnType<typeof seededCity>>>;
	const before = {} as Record<Slug, Awaited<ReturnType<typeof categorisation>>>;
	const ctx = () => coreContext({ core: coreDb, principal: operator, now: () => Date.parse('2026-12-02T01:00:00Z') });
	const open = (t: { databaseUrl: string }) => openTenant({ url: t.databaseUrl });

	beforeAll(async () => {
		coreLocation = await seededCore();
		coreDb = openCore(coreLocation);
		for (const slug of slugs) {
			city[slug] = await seededCity(slug, { core: coreLocation });
			before[slug] = await categorisation(city[slug].db);
		}
		// 目黒区 publishes 令和2年度 while version 1 is in force.
		await publishFiscalYear({ ctx: cityContext('meguro'), input: { fiscalYear: 2020 } });
	}, 180_000);

	const cityContext = (slug: Slug) => testContext({ db: city[slug].db, core: coreDb, tenant: city[slug].tenant });

	it('the seed loads version 2 as a draft beside version 1, which stays in force', async () => {
		const shared = await readSharedCodes({ core: coreDb });
		expect(shared.taxonomy.version).toBe(1);
		expect(shared.taxonomyCodes.has('burglary')).toBe(true);
		expect(shared.taxonomyCodes.has('vehicle_crime')).toBe(false);
		const preview = await previewTaxonomyVersion({ ctx: ctx(), open, input: { version: 2 } });
		expect(preview.status).toBe('draft');
		preview2Codes = preview.categories.map((c) => c.code);
		expect(preview.retired.map((c) => c.code).sort()).toEqual(['burglary', 'women_dv']);
		for (const code of [
			'shoplifting',
			'street_crime',
			'sexual_crime',
			'nightlife',
			'environment.graffiti',
			'recruitment_crime',
			'environment.homes',
			'foreign_residents',
			'crime_situation',
			'related.traffic_safety',
			'related.missing_persons',
			'intrusion_theft',
			'vehicle_crime',
			'domestic_violence'
		])
			expect(preview.added.map((c) => c.code)).toContain(code);
		// Every category of version 2 says what is in it, in both languages.
		for (const c of preview.categories) expect(c.definition.length).toBeGreaterThan(20);
		// The preview writes nothing.
		for (const slug of slugs) expect(await recategorised(city[slug].db)).toEqual([]);
		expect(preview.cities.map((c) => c.changed)).toEqual(preview.cities.map((c) => c.moves.length));
	});

	it('a split code is decided by the words of the initiative, or flagged for the city to review', () => {
		const mapping = declaredMapping();

		expect(mapCategories(['burglary', 'awareness'], mapping, '自動車盗・車上ねらいの防止')).toEqual({
			codes: ['vehicle_crime', 'awareness'],
			review: []
		});
		expect(mapCategories(['burglary'], mapping, '住宅への侵入と車上ねらい').codes).toEqual([
			'vehicle_crime',
			'intrusion_theft'
		]);
		expect(mapCategories(['burglary'], mapping, '防犯対策の推進')).toEqual({
			codes: ['intrusion_theft'],
			review: ['intrusion_theft']
		});
		// Full-width letters are the same word: ＤＶ is DV.
		expect(mapCategories(['women_dv'], mapping, 'ＤＶ相談カード').codes).toEqual(['domestic_violence']);
		expect(mapCategories(['patrol.official'], mapping, '').codes).toEqual(['patrol.official']);
	});

	it('every shared indicator’s category (written in version 1) has one version 2 category by the same mapping', () => {
		const mapping = declaredMapping();
		const v2 = new Set(preview2Codes);
		const moved = Object.fromEntries(
			city.meguro.seeds.indicators.indicators.map((ind) => {
				const { codes, review } = mapCategories([ind.category], mapping, `${ind.nameJa}\n${ind.definition}`);
				expect(codes, ind.code).toHaveLength(1);
				expect(review, ind.code).toEqual([]);
				expect(v2, ind.code).toContain(codes[0]);
				return [ind.code, codes[0]];
			})
		);
		expect(moved).toMatchObject({ penal_code_offences: 'crime_situation', burglaries: 'intrusion_theft' });
	});

	it('publishing moves every initiative to version 2 codes, none without a category, one history row per change', async () => {
		const result = await publishTaxonomyVersion({ ctx: ctx(), open, input: { version: 2 } });
		expect(result.published).toBe(true);
		expect(result.cities.map((c) => c.error)).toEqual([null, null, null]);
		const shared = await readSharedCodes({ core: coreDb });
		expect(shared.taxonomy.version).toBe(2);
		for (const slug of slugs) {
			const { db } = city[slug];
			const after = await categorisation(db);
			expect(after).toHaveLength(before[slug].length);
			for (const ini of after) {
				expect(ini.codes.length, ini.title).toBeGreaterThan(0);
				for (const code of ini.codes) expect(shared.taxonomyCodes, `${ini.title}: ${code}`).toContain(code);
			}
			const changed = after.filter((a) => {
				const was = before[slug].find((b) => b.id === a.id)!;
				return JSON.stringify(was.codes) !== JSON.stringify(a.codes);
			});
			const rows = await recategorised(db);
			expect(rows.map((r) => r.entityId).sort()).toEqual(changed.map((c) => c.id).sort());
			expect(result.cities.find((c) => c.slug.startsWith(slug))!.changed).toBe(changed.length);
		}
		const codes = async (slug: Slug, title: string) =>
			(await categorisation(city[slug].db)).find((i) => i.title === title)!.codes;
		// Consumer advice is not crime-victim support.
		expect(await codes('meguro', '消費生活相談の充実')).toEqual(['fraud.consumer']);
		// 小金井市's initiative against violence against women is about DV (its records say so).
		expect(await codes('koganei', '女性の犯罪被害防止の推進')).toEqual(['domestic_violence', 'awareness']);
		// Finding people with dementia who go missing is a related measure; the city is asked to check.
		expect(await codes('tomakomai', '苫小牧市認知症高齢者等の見守りネットワーク事業との連携')).toEqual([
			'vulnerable.elderly',
			'related.missing_persons',
			'network'
		]);
		expect(result.cities.find((c) => c.slug.startsWith('tomakomai'))!.flagged).toBeGreaterThan(0);
	});

	it('the history words each move: categories before and after, and what to review', async () => {
		const ini = (await categorisation(city.tomakomai.db)).find(
			(i) => i.title === '苫小牧市認知症高齢者等の見守りネットワーク事業との連携'
		)!;
		const [entry] = await listHistory({
			ctx: cityContext('tomakomai'),
			input: { entity: 'initiative', entityId: ini.id }
		});
		expect(entry).toMatchObject({ action: 'recategorise', actorName: '運用 担当者' });
		expect(entry!.changes).toEqual([
			{
				field: 'categories',
				before: { categories: ['vulnerable.elderly', 'network'] },
				after: { categories: ['vulnerable.elderly', 'related.missing_persons', 'network'] }
			},
			{ field: 'categoryReview', before: null, after: { categories: ['related.missing_persons'] } }
		]);
	});

	it('the city sees what to check, confirms it or saves the categories; either clears the request', async () => {
		const c = cityContext('tomakomai');
		const overview = await readPlanOverview({ ctx: c, input: { review: '1' } });
		const [adoption] = await city.tomakomai.db.select().from(taxonomyAdoptions).where(eq(taxonomyAdoptions.version, 2));
		const flagged = adoption!.flagged;
		expect(flagged).toBeGreaterThan(0);
		expect(overview.toReview).toBe(flagged);
		expect(overview.initiatives.length).toBe(flagged);
		const missing = overview.initiatives.find(
			(i) => i.title === '苫小牧市認知症高齢者等の見守りネットワーク事業との連携'
		)!;
		expect(missing.review).toEqual(['related.missing_persons']);

		// A stale confirmation is a conflict and changes nothing.
		const [row] = await city.tomakomai.db.select().from(initiatives).where(eq(initiatives.id, missing.id));
		await expect(
			confirmCategories({ ctx: c, input: { id: missing.id, version: row!.version - 1 } })
		).rejects.toBeInstanceOf(ConflictError);
		await confirmCategories({ ctx: c, input: { id: missing.id, version: row!.version } });
		const [after] = await city.tomakomai.db.select().from(initiatives).where(eq(initiatives.id, missing.id));
		expect(after).toMatchObject({ taxonomyReview: null, version: row!.version + 1 });
		const [entry] = await listHistory({ ctx: c, input: { entity: 'initiative', entityId: missing.id } });
		expect(entry).toMatchObject({ action: 'confirm' });
		expect(entry!.changes).toEqual([
			{ field: 'categoryReview', before: { categories: ['related.missing_persons'] }, after: null }
		]);

		// Saving another flagged initiative's form clears its request too.
		const other = overview.initiatives.find((i) => i.id !== missing.id);
		if (other) {
			const detail = await readInitiative({ ctx: c, input: { id: other.id } });
			await updateInitiative({ ctx: c, input: savedForm(detail) });
		}
		const left = await readPlanOverview({ ctx: c, input: { review: '1' } });
		expect(left.toReview).toBe(flagged - (other ? 2 : 1));
	});

	it('a publication made under version 1 still shows under version 1; views compare within one version', async () => {
		// 小金井市 records 令和2年度 (the seed has 平成30年度 and 令和元年度) and publishes it under version 2.
		const [first] = await categorisation(city.koganei.db);
		await addYearlyRecord({
			ctx: cityContext('koganei'),
			input: { initiativeId: first!.id, fiscalYear: '2020', phase: 'actual', text: '・巡回を実施', metrics: [] }
		});
		await publishFiscalYear({ ctx: cityContext('koganei'), input: { fiscalYear: 2020 } });
		const versions = await coreDb
			.select({ tenantId: benchmarkPublications.tenantId, version: benchmarkPublications.taxonomyVersion })
			.from(benchmarkPublications);
		expect(versions.find((v) => v.tenantId === city.meguro.tenant.id)!.version).toBe(1);
		expect(versions.find((v) => v.tenantId === city.koganei.tenant.id)!.version).toBe(2);

		const TOKYO = { prefectureCode: '13' };
		const newest = await coverageView({ core: coreDb, scope: TOKYO, fiscalYear: 2020 });
		expect(newest.taxonomyVersion).toBe(2);
		expect(newest.taxonomyVersions).toEqual([2, 1]);
		expect(newest.cities.map((c) => c.name)).toEqual(['小金井市']);
		expect(newest.categories.map((c) => c.code)).toContain('domestic_violence');

		const v1 = await coverageView({ core: coreDb, scope: TOKYO, fiscalYear: 2020, taxonomyVersion: 1 });
		expect(v1.taxonomyVersion).toBe(1);
		expect(v1.cities.map((c) => c.name)).toEqual(['目黒区']);
		// Named as version 1 named them, retired codes included.
		expect(v1.categories.find((c) => c.code === 'women_dv')?.nameJa).toBe('女性の犯罪被害防止・DV対策');
		expect(v1.categories.map((c) => c.code)).not.toContain('domestic_violence');
		expect(Object.keys(v1.cells).length).toBeGreaterThan(0);
	});

	it('publishing again is refused and changes nothing', async () => {
		const snapshot = async () =>
			Promise.all(slugs.map(async (s) => [await categorisation(city[s].db), (await recategorised(city[s].db)).length]));
		const was = await snapshot();
		const refused = await publishTaxonomyVersion({ ctx: ctx(), open, input: { version: 2 } }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(InvalidError);
		expect((refused as InvalidError).issues.version?.key).toBe('error_taxonomy_published');
		expect(await snapshot()).toEqual(was);
	});

	it('a seed city loaded after version 2 is published is moved to it on load, with its history', async () => {
		const late = await seededCity('koganei', { core: coreLocation });
		const shared = await readSharedCodes({ core: coreDb });
		for (const ini of await categorisation(late.db))
			for (const code of ini.codes) expect(shared.taxonomyCodes, `${ini.title}: ${code}`).toContain(code);
		expect((await recategorised(late.db)).length).toBe((await recategorised(city.koganei.db)).length);
	});

	it('only an operator may publish a version', async () => {
		const official = coreContext({ core: coreDb, principal: { ...operator, isOperator: false } });
		await expect(publishTaxonomyVersion({ ctx: official, open, input: { version: 2 } })).rejects.toMatchObject({
			code: 'forbidden'
		});
	});
});
