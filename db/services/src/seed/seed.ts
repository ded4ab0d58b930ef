// Seeds the shared data (core database) and provisions and loads the seed cities (one database
// each, through the TenantDirectory). Idempotent: shared data is upserted with the same values,
// and a city whose plan is already loaded is left as it is (its staff may have edited it).
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { openCore, openTenant, type CoreDb, type DatabaseLocation } from '@mamori/db';
import * as core from '@mamori/db/core';
import * as tenant from '@mamori/db/tenant';
import { tenantDatabaseName, type TenantDirectory } from '@mamori/db/directory';
import { isValidMunicipalityCode } from '../domain/municipality-code.ts';
import { citySeed, indicatorsSeed, taxonomySeed, type CitySeed, type SeedNode } from '../domain/seed-schema.ts';
import { latestVersion, migrateTenantDatabase, migrationsFolder } from '@mamori/db/node';
import { listPublications, publishFiscalYear } from '../benchmarks/publish.ts';
import type { TenantContext } from '../context.ts';
import { readCsv, readYaml, SeedError, type SeedProblem } from './seed-files.ts';
import { demoPassword, isProduction, seedDemoAccounts } from './demo-accounts.ts';

export { SeedError, tenantDatabaseName };

/** Ids derived from the seed content, so seeding the same file twice gives the same rows. */
export function stableId(...parts: (string | number)[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function chunks<T>(rows: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

export interface CoreSeedSummary {
	prefectures: number;
	municipalities: number;
	categories: number;
	indicators: number;
	taxonomyCodes: Set<string>;
	indicatorCodes: Set<string>;
}

export type CoreSeeds = ReturnType<typeof readCoreSeeds>;

/** Reads and validates the shared seed files (no database needed). */
export function readCoreSeeds(seedsDir: string) {
	const prefectures = readCsv(join(seedsDir, 'prefectures.csv'));
	const municipalities = readCsv(join(seedsDir, 'municipalities.csv'));
	const populations = readCsv(join(seedsDir, 'populations.csv'));
	municipalities.forEach((m, i) => {
		if (!isValidMunicipalityCode(m.code ?? ''))
			throw new SeedError(`municipalities.csv:${i + 2}: code: 団体コードの検査数字が正しくありません (${m.code})`);
	});
	populations.forEach((p, i) => {
		if (!isValidMunicipalityCode(p.code ?? '') || !municipalities.some((m) => m.code === p.code))
			throw new SeedError(`populations.csv:${i + 2}: code: unknown municipality ${p.code}`);
		if (!/^\d+$/.test(p.population ?? ''))
			throw new SeedError(`populations.csv:${i + 2}: population: not a whole number`);
	});
	const taxonomy = readYaml(join(seedsDir, 'taxonomy.yaml'), taxonomySeed, (t) => {
		const codes = new Set<string>();
		const problems: SeedProblem[] = [];
		t.categories.forEach((c, i) => {
			if (codes.has(c.code)) problems.push({ path: ['categories', i, 'code'], message: `duplicate code ${c.code}` });
			if (c.parent && !codes.has(c.parent))
				problems.push({
					path: ['categories', i, 'parent'],
					message: `parent ${c.parent} must be defined before ${c.code}`
				});
			codes.add(c.code);
		});
		return problems;
	});
	const taxonomyCodes = new Set(taxonomy.categories.map((c) => c.code));
	const indicators = readYaml(join(seedsDir, 'indicators.yaml'), indicatorsSeed, (s) =>
		s.indicators.flatMap((ind, i) =>
			taxonomyCodes.has(ind.category)
				? []
				: [{ path: ['indicators', i, 'category'], message: `unknown taxonomy code ${ind.category}` }]
		)
	);

	return {
		prefectures,
		municipalities,
		populations,
		taxonomy,
		indicators,
		taxonomyCodes,
		indicatorCodes: new Set(indicators.indicators.map((i) => i.code))
	};
}

export async function seedCore(db: CoreDb, seeds: CoreSeeds): Promise<CoreSeedSummary> {
	const { prefectures, municipalities, populations, taxonomy, indicators, taxonomyCodes } = seeds;
	const excluded = (column: string) => sql.raw(`excluded.${column}`);
	const statements: BatchItem<'sqlite'>[] = [
		db
			.insert(core.prefectures)
			.values(
				prefectures.map((p) => ({
					code: p.code!,
					name: p.name!,
					kana: p.kana!,
					shortName: p.short_name!,
					nameEn: p.name_en!,
					iso3166_2: p.iso3166_2!
				}))
			)
			.onConflictDoUpdate({
				target: core.prefectures.code,
				set: {
					name: excluded('name'),
					kana: excluded('kana'),
					shortName: excluded('short_name'),
					nameEn: excluded('name_en'),
					iso3166_2: excluded('iso3166_2')
				}
			}),
		...chunks(municipalities, 300).map((rows) =>
			db
				.insert(core.municipalities)
				.values(
					rows.map((m) => ({
						code: m.code!,
						prefectureCode: m.prefecture_code!,
						name: m.name!,
						kana: m.kana!,
						url: m.url || null
					}))
				)
				.onConflictDoUpdate({
					target: core.municipalities.code,
					set: {
						prefectureCode: excluded('prefecture_code'),
						name: excluded('name'),
						kana: excluded('kana'),
						url: excluded('url')
					}
				})
		),
		...populations.map((p) =>
			db
				.update(core.municipalities)
				.set({
					population: Number(p.population),
					populationDate: p.reference_date!,
					populationKind: p.kind!,
					populationSource: p.source!
				})
				.where(eq(core.municipalities.code, p.code!))
		),
		db
			.insert(core.taxonomyVersions)
			.values({ version: taxonomy.version, publishedAt: taxonomy.publishedAt })
			.onConflictDoUpdate({ target: core.taxonomyVersions.version, set: { publishedAt: excluded('published_at') } }),
		db
			.insert(core.taxonomyCategories)
			.values(
				taxonomy.categories.map((c, position) => ({
					code: c.code,
					version: taxonomy.version,
					parentCode: c.parent ?? null,
					nameJa: c.nameJa,
					nameEn: c.nameEn,
					definition: c.definition,
					definitionEn: c.definitionEn,
					position
				}))
			)
			.onConflictDoUpdate({
				target: core.taxonomyCategories.code,
				set: {
					version: excluded('version'),
					parentCode: excluded('parent_code'),
					nameJa: excluded('name_ja'),
					nameEn: excluded('name_en'),
					definition: excluded('definition'),
					definitionEn: excluded('definition_en'),
					position: excluded('position')
				}
			}),
		db
			.insert(core.sharedIndicators)
			.values(
				indicators.indicators.map((ind, position) => ({
					code: ind.code,
					version: indicators.version,
					nameJa: ind.nameJa,
					nameEn: ind.nameEn,
					unit: ind.unit,
					direction: ind.direction,
					normalisation: ind.normalisation,
					periodKind: ind.periodKind,
					categoryCode: ind.category,
					definition: ind.definition,
					position
				}))
			)
			.onConflictDoUpdate({
				target: core.sharedIndicators.code,
				set: {
					version: excluded('version'),
					nameJa: excluded('name_ja'),
					nameEn: excluded('name_en'),
					unit: excluded('unit'),
					direction: excluded('direction'),
					normalisation: excluded('normalisation'),
					periodKind: excluded('period_kind'),
					categoryCode: excluded('category_code'),
					definition: excluded('definition'),
					position: excluded('position')
				}
			})
	];
	await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
	return {
		prefectures: prefectures.length,
		municipalities: municipalities.length,
		categories: taxonomy.categories.length,
		indicators: indicators.indicators.length,
		taxonomyCodes,
		indicatorCodes: seeds.indicatorCodes
	};
}

/** Reads and validates a city file, including its references to the shared taxonomy and indicators. */
export function readCitySeed(
	file: string,
	shared: { taxonomyCodes: Set<string>; indicatorCodes: Set<string> }
): CitySeed {
	return readYaml(file, citySeed, (city) => {
		const problems: SeedProblem[] = [];
		const departments = new Set(city.departments.map((d) => d.name));
		city.departments.forEach((d, i) => {
			if (d.parent && !departments.has(d.parent))
				problems.push({ path: ['departments', i, 'parent'], message: `unknown department ${d.parent}` });
		});
		const walk = (nodes: SeedNode[], path: (string | number)[]) =>
			nodes.forEach((node, n) => {
				const here = [...path, n];
				node.initiatives.forEach((ini, i) => {
					const at = [...here, 'initiatives', i];
					ini.categories.forEach((c, k) => {
						if (!shared.taxonomyCodes.has(c))
							problems.push({ path: [...at, 'categories', k], message: `unknown taxonomy code ${c}` });
					});
					ini.departments.forEach((d, k) => {
						if (!departments.has(d))
							problems.push({ path: [...at, 'departments', k], message: `unknown department ${d}` });
					});
					ini.records.forEach((r, k) => {
						if (r.department && !departments.has(r.department))
							problems.push({
								path: [...at, 'records', k, 'department'],
								message: `unknown department ${r.department}`
							});
						r.metrics.forEach((m, j) => {
							if (m.indicator && !shared.indicatorCodes.has(m.indicator))
								problems.push({
									path: [...at, 'records', k, 'metrics', j, 'indicator'],
									message: `unknown indicator ${m.indicator}`
								});
						});
					});
				});
				node.indicators.forEach((k, i) => {
					if (k.sharedIndicator && !shared.indicatorCodes.has(k.sharedIndicator))
						problems.push({
							path: [...here, 'indicators', i, 'sharedIndicator'],
							message: `unknown indicator ${k.sharedIndicator}`
						});
				});
				walk(node.children, [...here, 'children']);
			});
		walk(city.nodes, ['nodes']);
		return problems;
	});
}

export interface CitySeedResult {
	slug: string;
	loaded: boolean;
	location: DatabaseLocation;
}

/**
 * Provisions a city's database, registers the tenant, migrates it and loads its plan in one
 * atomic batch — unless a plan is already there.
 */
export async function seedCity(options: {
	core: CoreDb;
	directory: TenantDirectory;
	city: CitySeed;
}): Promise<CitySeedResult> {
	const { city } = options;
	const slug = city.tenant.slug;
	const databaseName = tenantDatabaseName(slug);
	const location = await options.directory.ensure(databaseName);
	await options.core
		.insert(core.tenants)
		.values({
			id: stableId('tenant', slug),
			slug,
			municipalityCode: city.tenant.municipalityCode,
			databaseName,
			databaseUrl: location.url
		})
		.onConflictDoNothing();
	// Migrate only a database that is behind, so that seeding again changes nothing.
	const [registered] = await options.core
		.select({ schemaVersion: core.tenants.schemaVersion, databaseUrl: core.tenants.databaseUrl })
		.from(core.tenants)
		.where(eq(core.tenants.slug, slug));
	if (registered && registered.databaseUrl !== location.url)
		await options.core.update(core.tenants).set({ databaseUrl: location.url }).where(eq(core.tenants.slug, slug));
	if (registered?.schemaVersion !== latestVersion(migrationsFolder.tenant)) {
		const version = await migrateTenantDatabase(location);
		await options.core
			.update(core.tenants)
			.set({ schemaVersion: version, migratedAt: new Date(), migrationError: null })
			.where(eq(core.tenants.slug, slug));
	}

	const db = openTenant(location);
	try {
		const existing = await db.select({ id: tenant.plans.id }).from(tenant.plans).limit(1);
		if (existing.length > 0) return { slug, loaded: false, location };
		const statements = planStatements(db, city);
		await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
		return { slug, loaded: true, location };
	} finally {
		db.$client.close();
	}
}

function planStatements(db: ReturnType<typeof openTenant>, city: CitySeed): BatchItem<'sqlite'>[] {
	const slug = city.tenant.slug;
	const planId = stableId(slug, 'plan');
	const departmentId = new Map(city.departments.map((d) => [d.name, stableId(slug, 'department', d.name)]));
	const rows = {
		nodes: [] as (typeof tenant.planNodes.$inferInsert)[],
		initiatives: [] as (typeof tenant.initiatives.$inferInsert)[],
		initiativeDepartments: [] as (typeof tenant.initiativeDepartments.$inferInsert)[],
		initiativeCategories: [] as (typeof tenant.initiativeCategories.$inferInsert)[],
		records: [] as (typeof tenant.yearlyRecords.$inferInsert)[],
		metrics: [] as (typeof tenant.metrics.$inferInsert)[],
		indicators: [] as (typeof tenant.indicators.$inferInsert)[]
	};
	const walk = (nodes: SeedNode[], parentId: string | null, path: string) =>
		nodes.forEach((node, position) => {
			const nodePath = `${path}/${position}`;
			const nodeId = stableId(slug, 'node', nodePath);
			rows.nodes.push({
				id: nodeId,
				planId,
				parentId,
				code: node.code ?? null,
				title: node.title,
				subtitle: node.subtitle ?? null,
				summary: node.summary ?? null,
				currentState: node.currentState ?? null,
				relatedPlans: node.relatedPlans ?? null,
				notes: node.notes ?? null,
				position
			});
			node.initiatives.forEach((ini, i) => {
				const initiativeId = stableId(slug, 'initiative', nodePath, i);
				rows.initiatives.push({
					id: initiativeId,
					planId,
					nodeId,
					code: ini.code ?? null,
					title: ini.title,
					description: ini.description ?? null,
					planRef: ini.planRef ?? null,
					departmentNote: ini.departmentNote ?? null,
					position: i
				});
				ini.departments.forEach((name, k) =>
					rows.initiativeDepartments.push({ initiativeId, departmentId: departmentId.get(name)!, position: k })
				);
				ini.categories.forEach((code, k) =>
					rows.initiativeCategories.push({ initiativeId, categoryCode: code, position: k })
				);
				ini.records.forEach((r, k) => {
					const recordId = stableId(slug, 'record', nodePath, i, k);
					rows.records.push({
						id: recordId,
						initiativeId,
						fiscalYear: r.fiscalYear,
						phase: r.phase,
						departmentId: r.department ? departmentId.get(r.department)! : null,
						text: r.text,
						position: k
					});
					r.metrics.forEach((m, j) =>
						rows.metrics.push({
							id: stableId(slug, 'metric', nodePath, i, k, j),
							recordId,
							label: m.label,
							value: m.value,
							unit: m.unit,
							indicatorCode: m.indicator ?? null,
							periodKind: m.period?.kind ?? 'fiscal_year',
							periodYear: m.period?.year ?? r.fiscalYear,
							status: m.status ?? 'final',
							approximate: m.approximate ?? false,
							cumulative: m.cumulative ?? false,
							note: m.note ?? null,
							position: j
						})
					);
				});
			});
			node.indicators.forEach((k, i) =>
				rows.indicators.push({
					id: stableId(slug, 'indicator', nodePath, i),
					nodeId,
					name: k.name,
					unit: k.unit,
					direction: k.direction,
					sharedIndicatorCode: k.sharedIndicator ?? null,
					baselineValue: k.baseline?.value ?? null,
					baselineText: k.baseline?.text ?? null,
					baselinePeriodKind: k.baseline?.period?.kind ?? null,
					baselineYear: k.baseline?.period?.year ?? null,
					baselineStatus: k.baseline?.status ?? null,
					baselineNote: k.baseline?.note ?? null,
					targetValue: k.target?.value ?? null,
					targetText: k.target?.text ?? null,
					targetPeriodKind: k.target?.period?.kind ?? null,
					targetYear: k.target?.period?.year ?? null,
					targetNote: [k.target?.note, k.note].filter(Boolean).join('\n') || null,
					position: i
				})
			);
			walk(node.children, nodeId, nodePath);
		});
	walk(city.nodes, null, '');

	const statements: BatchItem<'sqlite'>[] = [
		db.insert(tenant.plans).values({
			id: planId,
			title: city.plan.title,
			kind: city.plan.kind,
			sourceDocument: city.plan.sourceDocument ?? null,
			periodStart: city.plan.periodStart ?? null,
			periodEnd: city.plan.periodEnd ?? null,
			levelLabels: city.plan.levelLabels,
			initiativeLabel: city.plan.initiativeLabel,
			notes: city.plan.notes ?? null
		})
	];
	if (city.departments.length > 0)
		statements.push(
			db.insert(tenant.departments).values(
				city.departments.map((d, position) => ({
					id: departmentId.get(d.name)!,
					name: d.name,
					parentId: d.parent ? departmentId.get(d.parent)! : null,
					position
				}))
			)
		);
	const insertAll = <T extends Parameters<typeof db.insert>[0]>(table: T, values: T['$inferInsert'][]) => {
		for (const chunk of chunks(values, 50)) statements.push(db.insert(table).values(chunk as never));
	};
	insertAll(tenant.planNodes, rows.nodes);
	insertAll(tenant.initiatives, rows.initiatives);
	insertAll(tenant.initiativeDepartments, rows.initiativeDepartments);
	insertAll(tenant.initiativeCategories, rows.initiativeCategories);
	insertAll(tenant.yearlyRecords, rows.records);
	insertAll(tenant.metrics, rows.metrics);
	insertAll(tenant.indicators, rows.indicators);
	statements.push(
		db.insert(tenant.auditLog).values({
			id: stableId(slug, 'audit', 'seed'),
			at: new Date(),
			actorId: null,
			actorName: 'Mamori (seed)',
			entity: 'plan',
			entityId: planId,
			action: 'import',
			before: null,
			after: { source: city.plan.sourceDocument ?? null }
		})
	);
	return statements;
}

export function cityFiles(seedsDir: string): string[] {
	const dir = join(seedsDir, 'cities');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.yaml'))
		.sort()
		.map((f) => join(dir, f));
}

export interface SeedSummary {
	core: Omit<CoreSeedSummary, 'taxonomyCodes' | 'indicatorCodes'>;
	cities: CitySeedResult[];
	/** How many demo accounts exist; 0 in production, where they are never created. */
	demoAccounts: number;
	demoPublications: number;
}

/**
 * Seeds everything: shared data, then each city, then (outside production) the demo accounts.
 * Validates every file before writing anything.
 */
export async function seedAll(options: {
	core: DatabaseLocation;
	directory: TenantDirectory;
	seedsDir: string;
	env?: NodeJS.ProcessEnv;
}): Promise<SeedSummary> {
	const env = options.env ?? process.env;
	const seeds = readCoreSeeds(options.seedsDir);
	const cities = cityFiles(options.seedsDir).map((file) => readCitySeed(file, seeds));
	const db = openCore(options.core);
	try {
		const shared = await seedCore(db, seeds);
		const results: CitySeedResult[] = [];
		for (const city of cities) results.push(await seedCity({ core: db, directory: options.directory, city }));
		const { taxonomyCodes: _t, indicatorCodes: _i, ...counts } = shared;
		const demoAccounts = isProduction(env)
			? 0
			: await seedDemoAccounts({
					core: db,
					tenantIds: new Map(results.map((c) => [c.slug, stableId('tenant', c.slug)])),
					password: demoPassword(env),
					env,
					idFor: (email) => stableId('demo-user', email)
				});
		const demoPublications = isProduction(env) ? 0 : await publishDemoFigures(db, results);
		return { core: counts, cities: results, demoAccounts, demoPublications };
	} finally {
		db.$client.close();
	}
}

/**
 * The seed cities' figures as the demo officials first see them: each city's documented years,
 * published once (a year already published, perhaps edited since, is left as it is).
 */
const DEMO_PUBLICATIONS: Record<string, number[]> = { meguro: [2020], koganei: [2018, 2019], tomakomai: [2023] };

async function publishDemoFigures(coreDb: CoreDb, cities: CitySeedResult[]): Promise<number> {
	let published = 0;
	for (const city of cities) {
		const years = DEMO_PUBLICATIONS[city.slug] ?? [];
		if (years.length === 0) continue;
		const [row] = await coreDb
			.select({
				id: core.tenants.id,
				municipalityCode: core.tenants.municipalityCode,
				prefectureCode: core.municipalities.prefectureCode
			})
			.from(core.tenants)
			.innerJoin(core.municipalities, eq(core.municipalities.code, core.tenants.municipalityCode))
			.where(eq(core.tenants.slug, city.slug));
		if (!row) continue;
		const done = new Set((await listPublications({ core: coreDb, tenantId: row.id })).map((p) => p.fiscalYear));
		const db = openTenant(city.location);
		try {
			const ctx: TenantContext = { db, actor: { id: null, name: 'Mamori (seed)' }, authorize: () => {} };
			for (const fiscalYear of years.filter((y) => !done.has(y))) {
				await publishFiscalYear({ ctx, core: coreDb, tenant: row, fiscalYear });
				published++;
			}
		} finally {
			db.$client.close();
		}
	}
	return published;
}
