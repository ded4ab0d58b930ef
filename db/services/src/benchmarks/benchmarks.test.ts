import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededCity, seededCore } from '../../test/seeded.ts';
import { openCore, openTenant, type CoreDb, type DatabaseLocation, type TenantDb } from '@mamori/db';
import { benchmarkFacts, benchmarkPublications } from '@mamori/db/core/benchmarks';
import { municipalities, tenants } from '@mamori/db/core';
import { testContext } from '../../test/context.ts';
import { newId } from '@mamori/db';
import { addYearlyRecord, type TenantContext } from '../index.ts';
import { indicators } from '@mamori/db/tenant';
import {
	compareWithSource,
	publishFiscalYear,
	readPublished,
	verifyTenantPublications,
	withdrawFiscalYear,
	type PublishingTenant
} from './publish.ts';
import { checkCity, verifyAllPublications } from './verify.ts';
import {
	compareView,
	coverageView,
	indicatorView,
	publishedCities,
	publishedYears,
	trendView,
	type Scope
} from './views.ts';

const TOKYO: Scope = { prefectureCode: '13' };
const HOKKAIDO: Scope = { prefectureCode: '01' };

describe('publishing and benchmark views (real sqld)', () => {
	let core: DatabaseLocation;
	let coreDb: CoreDb;
	const city: Record<string, { db: TenantDb; tenant: PublishingTenant; ctx: TenantContext }> = {};

	beforeAll(async () => {
		core = await seededCore();
		coreDb = openCore(core);
		for (const slug of ['meguro', 'koganei', 'tomakomai'] as const) {
			const { db, tenant } = await seededCity(slug, { core });
			city[slug] = {
				db,
				tenant,
				ctx: testContext({ db, core: coreDb, tenant, actor: { id: null, name: '防犯担当 管理者' } })
			};
		}
		// 小金井市 enters its 令和2年度 mail subscribers, so both Tokyo cities have 2020 figures.
		const koganei = city.koganei!;
		const [first] = await koganei.db
			.select({ id: sql<string>`id` })
			.from(sql`initiatives`)
			.limit(1);
		await addYearlyRecord({
			ctx: koganei.ctx,
			input: {
				initiativeId: first!.id,
				fiscalYear: '2020',
				phase: 'actual',
				text: '・こがねい安全・安心メール加入登録数 12,500人',
				metrics: [
					{
						label: '加入登録数',
						value: '12,500',
						unit: '人',
						indicatorCode: 'alert_mail_subscribers',
						stockFlow: 'stock'
					}
				]
			}
		});
		await publishFiscalYear({ ctx: city.meguro!.ctx, input: { fiscalYear: 2020 } });
		await publishFiscalYear({ ctx: city.koganei!.ctx, input: { fiscalYear: 2020 } });
		await publishFiscalYear({ ctx: city.tomakomai!.ctx, input: { fiscalYear: 2023 } });
	}, 120_000);

	it('normalises per 10,000 residents, ranks and takes the median — checked by hand', async () => {
		const view = await indicatorView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 2020,
			indicatorCode: 'alert_mail_subscribers'
		});
		// 小金井市 12,500 / 123,698 × 10,000 = 1,010.53; 目黒区 9,000 / 281,400 × 10,000 = 319.83
		expect(view.rows.map((r) => [r.name, r.value, Number(r.normalised!.toFixed(2)), r.rank])).toEqual([
			['小金井市', 12500, 1010.53, 1],
			['目黒区', 9000, 319.83, 2]
		]);
		expect(Number(view.median!.toFixed(2))).toBe(665.18); // (1,010.53 + 319.83) / 2
		const meguro = view.rows.find((r) => r.name === '目黒区')!;
		expect(meguro).toMatchObject({
			progress: 0,
			targetValue: 15000,
			targetYear: 2031,
			population: 281400,
			populationDate: '2025-01-01'
		});
	});

	it('a lower-is-better indicator ranks the lowest first (per 1,000 residents)', async () => {
		const view = await indicatorView({ core: coreDb, scope: TOKYO, fiscalYear: 2020, indicatorCode: 'bicycle_thefts' });
		expect(view.rows).toHaveLength(1);
		expect(Number(view.rows[0]!.normalised!.toFixed(3))).toBe(1.525); // 429 / 281,400 × 1,000
		expect(view.rows[0]!.rank).toBe(1);
	});

	it('a prefectural official sees only the cities of their prefecture, and only what was published', async () => {
		expect(await publishedYears({ core: coreDb, scope: HOKKAIDO })).toEqual([2023]);
		expect((await publishedCities({ core: coreDb, scope: HOKKAIDO, fiscalYear: 2023 })).map((c) => c.name)).toEqual([
			'苫小牧市'
		]);
		for (const year of [2019, 2020, 2023]) {
			const coverage = await coverageView({ core: coreDb, scope: HOKKAIDO, fiscalYear: year });
			expect(coverage.cities.every((c) => c.municipalityCode.startsWith('01'))).toBe(true);
			const compare = await compareView({
				core: coreDb,
				scope: HOKKAIDO,
				fiscalYear: year,
				municipalityCodes: ['131105', '132101']
			});
			expect(compare.cities).toEqual([]);
		}
		const trend = await trendView({ core: coreDb, scope: HOKKAIDO, indicatorCode: 'alert_mail_subscribers' });
		expect(trend.series).toEqual([]);
		// 小金井市 has 令和元年度 figures in its own database, but has not published them.
		expect(
			(await indicatorView({ core: coreDb, scope: TOKYO, fiscalYear: 2019, indicatorCode: 'patrol_runs' })).rows
		).toEqual([]);
		const coverage = await coverageView({ core: coreDb, scope: HOKKAIDO, fiscalYear: 2023 });
		expect(coverage.cell('012131', 'camera.public')?.titles).toContain('防犯カメラの設置');
	});

	it('compares cities side by side and over the years', async () => {
		const compare = await compareView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 2020,
			municipalityCodes: ['131105', '132101']
		});
		expect(compare.cities.map((c) => c.name)).toEqual(['目黒区', '小金井市']);
		const mail = compare.rows.find((r) => r.indicator.code === 'alert_mail_subscribers')!;
		expect(mail.values.map((v) => v?.value)).toEqual([9000, 12500]);
		const trend = await trendView({ core: coreDb, scope: TOKYO, indicatorCode: 'alert_mail_subscribers' });
		expect(trend.years).toEqual([2020]);
		expect(trend.series.map((s) => s.name).sort()).toEqual(['小金井市', '目黒区']);
	});

	it("latest available: each city's most recent published year, labelled per row; who has not published is listed", async () => {
		// 小金井市 also publishes 令和元年度, the last year it reported patrol runs.
		await publishFiscalYear({ ctx: city.koganei!.ctx, input: { fiscalYear: 2019 } });
		const strict = await indicatorView({ core: coreDb, scope: TOKYO, fiscalYear: 2019, indicatorCode: 'patrol_runs' });
		expect(strict.rows.map((r) => [r.name, r.fiscalYear])).toEqual([['小金井市', 2019]]);
		expect(strict.unpublished.map((c) => c.name)).toEqual(['目黒区']); // 目黒区 published 2020 only

		const latest = await indicatorView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 'latest',
			indicatorCode: 'alert_mail_subscribers'
		});
		expect(latest.rows.map((r) => [r.name, r.fiscalYear]).sort()).toEqual([
			['小金井市', 2020],
			['目黒区', 2020]
		]);
		const runs = await indicatorView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 'latest',
			indicatorCode: 'patrol_runs'
		});
		expect(runs.rows.map((r) => [r.name, r.fiscalYear])).toEqual([['小金井市', 2019]]);
		expect(runs.unpublished).toEqual([]); // both Tokyo cities have published some year

		// 目黒区's 刑法犯認知件数 of 令和2年 (a statistic of its 施策 1), per 1,000 residents.
		const crime = await indicatorView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 'latest',
			indicatorCode: 'penal_code_offences'
		});
		expect(crime.rows.map((r) => [r.name, r.value, r.periodKind, r.periodYear])).toEqual([
			['目黒区', 1444, 'calendar_year', 2020]
		]);

		const side = await compareView({
			core: coreDb,
			scope: TOKYO,
			fiscalYear: 'latest',
			municipalityCodes: ['131105', '132101']
		});
		expect(side.cities.map((c) => [c.name, c.fiscalYear])).toEqual([
			['目黒区', 2020],
			['小金井市', 2020]
		]);
		expect((await publishedCities({ core: coreDb, scope: TOKYO })).map((c) => c.name)).toEqual(['目黒区', '小金井市']);
		await withdrawFiscalYear({ ctx: city.koganei!.ctx, input: { fiscalYear: 2019 } }); // as the tests below expect
	});

	it('coverage counts a parent category as its own initiatives and its children’s, each once', async () => {
		const view = await coverageView({ core: coreDb, scope: HOKKAIDO, fiscalYear: 2023 });
		const parents = view.categories.filter((p) => view.categories.some((c) => c.parentCode === p.code));
		expect(parents.length).toBeGreaterThan(0);
		for (const parent of parents) {
			const children = view.categories.filter((c) => c.parentCode === parent.code);
			const titles = new Set([parent, ...children].flatMap((c) => view.cell('012131', c.code)?.titles ?? []));
			expect(view.cell('012131', parent.code)?.count ?? 0, parent.code).toBe(titles.size);
		}
		const camera = view.cell('012131', 'camera');
		expect(camera?.titles).toContain('防犯カメラの設置');
	});

	it('the drift check finds nothing when all match, and a difference after a source row changes', async () => {
		const meguro = city.meguro!;
		expect(await verifyTenantPublications({ core: coreDb, tenantId: meguro.tenant.id, db: meguro.db })).toEqual([]);
		const [kpi] = await meguro.db
			.select()
			.from(indicators)
			.where(eq(indicators.sharedIndicatorCode, 'alert_mail_subscribers'));
		await meguro.db
			.update(indicators)
			.set({ baselineValue: 9100, version: kpi!.version + 1 })
			.where(eq(indicators.id, kpi!.id));
		expect(await verifyTenantPublications({ core: coreDb, tenantId: meguro.tenant.id, db: meguro.db })).toEqual([
			{
				tenantId: meguro.tenant.id,
				fiscalYear: 2020,
				key: 'indicator:alert_mail_subscribers',
				published: 9000,
				source: 9100
			}
		]);
		await meguro.db
			.update(indicators)
			.set({ baselineValue: 9000, version: kpi!.version + 2 })
			.where(eq(indicators.id, kpi!.id));
	});

	it('the drift check over every publishing city reads the core a chunk of cities at a time, whatever the chunk', async () => {
		const meguro = city.meguro!;
		const open = (t: { databaseUrl: string }) => openTenant({ url: t.databaseUrl });
		const [kpi] = await meguro.db
			.select()
			.from(indicators)
			.where(eq(indicators.sharedIndicatorCode, 'alert_mail_subscribers'));
		const setBaseline = (value: number, version: number) =>
			meguro.db.update(indicators).set({ baselineValue: value, version }).where(eq(indicators.id, kpi!.id));
		for (const chunk of [1, 2, 50]) {
			expect(await verifyAllPublications({ core: coreDb, open, chunk })).toEqual({
				checkedTenants: 3,
				drift: [],
				errors: [],
				complete: true
			});
		}
		await setBaseline(9100, kpi!.version + 1);
		for (const chunk of [1, 2, 50]) {
			const report = await verifyAllPublications({ core: coreDb, open, chunk, concurrency: 2 });
			expect(report.checkedTenants, `chunk ${chunk}`).toBe(3);
			expect(report.drift, `chunk ${chunk}`).toEqual([
				expect.objectContaining({ tenantId: meguro.tenant.id, key: 'indicator:alert_mail_subscribers', source: 9100 })
			]);
		}
		// 目黒区 publishes the new figure after its chunk was read: what was read differs, the core
		// no longer does, and the city is not reported.
		const stale = (await readPublished(coreDb, [meguro.tenant.id])).get(meguro.tenant.id)!;
		await publishFiscalYear({ ctx: meguro.ctx, input: { fiscalYear: 2020 } });
		const input = { core: coreDb, tenantId: meguro.tenant.id, db: meguro.db, published: stale };
		expect(await compareWithSource(input)).toHaveLength(1);
		expect(await checkCity(input)).toEqual([]);
		await setBaseline(9000, kpi!.version + 2);
		await publishFiscalYear({ ctx: meguro.ctx, input: { fiscalYear: 2020 } });
	});

	it('withdrawing removes a city from every view', async () => {
		await withdrawFiscalYear({ ctx: city.koganei!.ctx, input: { fiscalYear: 2020 } });
		const none = (rows: { name?: string }[]) => rows.every((r) => r.name !== '小金井市');
		expect(
			none(
				(await indicatorView({ core: coreDb, scope: TOKYO, fiscalYear: 2020, indicatorCode: 'alert_mail_subscribers' }))
					.rows
			)
		).toBe(true);
		expect(none((await coverageView({ core: coreDb, scope: TOKYO, fiscalYear: 2020 })).cities)).toBe(true);
		expect(
			none((await compareView({ core: coreDb, scope: TOKYO, fiscalYear: 2020, municipalityCodes: ['132101'] })).cities)
		).toBe(true);
		expect(
			none((await trendView({ core: coreDb, scope: TOKYO, indicatorCode: 'alert_mail_subscribers' })).series)
		).toBe(true);
		expect(none(await publishedCities({ core: coreDb, scope: TOKYO, fiscalYear: 2020 }))).toBe(true);
		await publishFiscalYear({ ctx: city.koganei!.ctx, input: { fiscalYear: 2020 } }); // publish again for what follows
	});

	it('each view costs the same number of database round trips with 3 cities and with 500', async () => {
		const counted = openCore(core);
		let calls = 0;
		const client = counted.$client;
		for (const method of ['execute', 'batch'] as const) {
			const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
			(client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
				calls++;
				return original(...args);
			};
		}
		const trips = async () => {
			const out: Record<string, number> = {};
			const measure = async (name: string, run: () => Promise<unknown>) => {
				calls = 0;
				await run();
				out[name] = calls;
			};
			for (const scope of [TOKYO, { all: true } as const]) {
				const key = 'all' in scope ? 'all' : scope.prefectureCode;
				await measure(`indicator ${key}`, () =>
					indicatorView({ core: counted, scope, fiscalYear: 2020, indicatorCode: 'alert_mail_subscribers' })
				);
				await measure(`latest ${key}`, () =>
					indicatorView({ core: counted, scope, fiscalYear: 'latest', indicatorCode: 'alert_mail_subscribers' })
				);
				await measure(`trend ${key}`, () =>
					trendView({ core: counted, scope, indicatorCode: 'alert_mail_subscribers' })
				);
				await measure(`coverage ${key}`, () => coverageView({ core: counted, scope, fiscalYear: 2020 }));
				await measure(`compare ${key}`, () =>
					compareView({ core: counted, scope, fiscalYear: 2020, municipalityCodes: ['131105', '132101'] })
				);
			}
			return out;
		};
		const withThree = await trips();
		const count = await coreDb.select({ n: sql<number>`count(*)` }).from(tenants);
		expect(Number(count[0]!.n)).toBe(3);

		// 497 synthetic cities more, each with published figures.
		const others = await coreDb
			.select({ code: municipalities.code, prefectureCode: municipalities.prefectureCode })
			.from(municipalities)
			.where(sql`${municipalities.code} NOT IN ('131105', '132101', '012131')`)
			.limit(497);
		const now = new Date();
		const tenantRows = others.map((m) => ({
			id: newId(),
			slug: `synthetic-${m.code}`,
			municipalityCode: m.code,
			databaseName: `synthetic-${m.code}`,
			databaseUrl: 'http://localhost:1/'
		}));
		const facts = tenantRows.flatMap((t, i) => [
			{
				id: newId(),
				tenantId: t.id,
				municipalityCode: t.municipalityCode,
				prefectureCode: others[i]!.prefectureCode,
				fiscalYear: 2020,
				kind: 'indicator' as const,
				indicatorCode: 'alert_mail_subscribers',
				value: 1000 + i,
				periodKind: 'fiscal_year' as const,
				periodYear: 2020,
				publishedAt: now
			},
			{
				id: newId(),
				tenantId: t.id,
				municipalityCode: t.municipalityCode,
				prefectureCode: others[i]!.prefectureCode,
				fiscalYear: 2020,
				kind: 'category' as const,
				categoryCode: 'patrol',
				value: 2,
				detail: ['a', 'b'],
				periodKind: 'fiscal_year' as const,
				periodYear: 2020,
				publishedAt: now
			}
		]);
		const chunk = <T>(rows: T[], n: number) =>
			Array.from({ length: Math.ceil(rows.length / n) }, (_, i) => rows.slice(i * n, i * n + n));
		for (const rows of chunk(tenantRows, 100)) await coreDb.insert(tenants).values(rows);
		for (const rows of chunk(facts, 100)) await coreDb.insert(benchmarkFacts).values(rows);
		for (const rows of chunk(tenantRows, 100))
			await coreDb.insert(benchmarkPublications).values(
				rows.map((t, i) => ({
					tenantId: t.id,
					prefectureCode: others[i]!.prefectureCode,
					fiscalYear: 2020,
					publishedAt: now,
					publishedByName: 'synthetic',
					factCount: 2
				}))
			);
		const after = await coreDb.select({ n: sql<number>`count(*)` }).from(tenants);
		expect(Number(after[0]!.n)).toBe(500);

		const withFiveHundred = await trips();
		expect(withFiveHundred).toEqual(withThree);
		expect(Object.values(withThree).every((n) => n === 1)).toBe(true); // one batch each
		const all = await indicatorView({
			core: counted,
			scope: { all: true },
			fiscalYear: 2020,
			indicatorCode: 'alert_mail_subscribers'
		});
		expect(all.rows.length).toBe(499); // the 497 and the two Tokyo cities
		console.log(`round trips per view (3 and 500 cities): ${JSON.stringify(withThree)}`);
		counted.$client.close();
	}, 60_000);
});
