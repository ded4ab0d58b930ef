// A seed city: provisioned through the TenantDirectory, migrated, and its plan loaded in one batch.
// A city whose plan is already loaded is left as it is (its staff may have edited it).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { openTenant, type CoreDb, type DatabaseLocation } from '@mamori/db';
import * as core from '@mamori/db/core';
import * as tenant from '@mamori/db/tenant';
import { tenantDatabaseName, type TenantDirectory } from '@mamori/db/directory';
import { citySeed, type CitySeed, type IndicatorsSeed, type SeedNode } from '../domain/seed-schema.ts';
import { indicatorMisfit, type MappedFigure } from '../domain/indicator-fit.ts';
import { metricStatus } from '../plan/records.ts';
import { latestVersion, migrateTenantDatabase, migrationsFolder } from '@mamori/db/node';
import { tenantContext } from '../context.ts';
import { catchUpCity } from '../tenants/taxonomy-migration.ts';
import { readYaml, type SeedProblem } from './seed-files.ts';
import { chunks, stableId } from './core.ts';

/**
 * Why a mapped figure may not feed its shared indicator (unknown, or a unit, period kind or
 * stock/flow that does not fit: domain/indicator-fit.ts); null when it may.
 */
function mappingProblem(
	shared: IndicatorsSeed,
	code: string,
	figure: MappedFigure,
	path: (string | number)[]
): SeedProblem | null {
	const indicator = shared.indicators.find((d) => d.code === code);
	if (!indicator) return { path, message: `unknown indicator ${code}` };
	const misfit = indicatorMisfit(indicator, figure);
	return misfit && { path, message: `mapping refused: ${misfit.reason}` };
}

export function readCitySeed(
	file: string,
	shared: { taxonomyCodes: Set<string>; indicators: IndicatorsSeed }
): CitySeed {
	return readYaml(file, citySeed, (city) => {
		const problems: SeedProblem[] = [];
		const check = (code: string, figure: MappedFigure, path: (string | number)[]) => {
			const problem = mappingProblem(shared.indicators, code, figure, path);
			if (problem) problems.push(problem);
		};
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
							if (m.indicator)
								check(
									m.indicator,
									{ unit: m.unit, periodKind: m.period?.kind ?? 'fiscal_year', stockFlow: m.stockFlow },
									[...at, 'records', k, 'metrics', j, 'indicator']
								);
						});
					});
				});
				node.indicators.forEach((k, i) => {
					if (k.sharedIndicator) {
						const periodKind = k.baseline?.period?.kind ?? k.target?.period?.kind ?? 'fiscal_year';
						check(k.sharedIndicator, { unit: k.unit, periodKind, stockFlow: k.stockFlow }, [
							...here,
							'indicators',
							i,
							'sharedIndicator'
						]);
					}
				});
				// A statistic is what happened in its period (a flow), like 刑法犯認知件数.
				node.statistics.forEach((s, i) => {
					if (s.sharedIndicator)
						check(s.sharedIndicator, { unit: s.unit, periodKind: s.period.kind, stockFlow: 'flow' }, [
							...here,
							'statistics',
							i,
							'sharedIndicator'
						]);
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
		// The file is written in the taxonomy version of the seeds; a newer one may be in force.
		await catchUpCity(
			tenantContext({
				db,
				core: options.core,
				tenant: {
					id: stableId('tenant', slug),
					municipalityCode: city.tenant.municipalityCode,
					prefectureCode: city.tenant.municipalityCode.slice(0, 2),
					status: 'active'
				},
				principal: null,
				actor: { id: null, name: 'Mamori (seed)' },
				authorize: () => {}
			})
		);
		return { slug, loaded: true, location };
	} finally {
		db.$client.close();
	}
}

/** The seed's optional fields as columns: what the file leaves out is null. */
function orNull<T extends object, K extends keyof T>(
	source: T,
	keys: K[]
): { [P in K]: Exclude<T[P], undefined> | null } {
	return Object.fromEntries(keys.map((key) => [key, source[key] ?? null])) as {
		[P in K]: Exclude<T[P], undefined> | null;
	};
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
		indicators: [] as (typeof tenant.indicators.$inferInsert)[],
		statistics: [] as (typeof tenant.nodeStatistics.$inferInsert)[]
	};
	const walk = (nodes: SeedNode[], parentId: string | null, path: string) =>
		nodes.forEach((node, position) => {
			const nodePath = `${path}/${position}`;
			const nodeId = stableId(slug, 'node', nodePath);
			rows.nodes.push({
				id: nodeId,
				planId,
				parentId,
				title: node.title,
				...orNull(node, ['code', 'subtitle', 'summary', 'currentState', 'relatedPlans', 'recordColumns', 'notes']),
				position
			});
			node.initiatives.forEach((ini, i) => {
				const initiativeId = stableId(slug, 'initiative', nodePath, i);
				rows.initiatives.push({
					id: initiativeId,
					planId,
					nodeId,
					title: ini.title,
					...orNull(ini, ['code', 'description', 'planRef', 'departmentNote']),
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
							status: metricStatus(m.status, r.phase),
							stockFlow: m.stockFlow ?? null,
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
					stockFlow: k.stockFlow ?? null,
					baselineValue: k.baseline?.value ?? null,
					baselineText: k.baseline?.text ?? null,
					baselinePeriodKind: k.baseline?.period?.kind ?? null,
					baselineYear: k.baseline?.period?.year ?? null,
					// What the document does not call final or provisional is unknown.
					baselineStatus: k.baseline ? (k.baseline.status ?? 'unknown') : null,
					baselineNote: k.baseline?.note ?? null,
					targetValue: k.target?.value ?? null,
					targetText: k.target?.text ?? null,
					targetPeriodKind: k.target?.period?.kind ?? null,
					targetYear: k.target?.period?.year ?? null,
					targetNote: [k.target?.note, k.note].filter(Boolean).join('\n') || null,
					position: i
				})
			);
			node.statistics.forEach((s, i) =>
				rows.statistics.push({
					id: stableId(slug, 'statistic', nodePath, i),
					nodeId,
					label: s.label,
					value: s.value,
					unit: s.unit,
					periodKind: s.period.kind,
					periodYear: s.period.year,
					status: s.status ?? null,
					sharedIndicatorCode: s.sharedIndicator ?? null,
					note: s.note ?? null,
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
			...orNull(city.plan, ['sourceDocument', 'periodStart', 'periodEnd', 'recordColumns', 'notes']),
			levelLabels: city.plan.levelLabels,
			initiativeLabel: city.plan.initiativeLabel
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
	insertAll(tenant.nodeStatistics, rows.statistics);
	insertAll(
		tenant.planReferences,
		city.plan.references.map((r, position) => ({
			id: stableId(slug, 'plan-reference', position),
			planId,
			title: r.title,
			...orNull(r, ['periodStart', 'periodEnd', 'section', 'page']),
			position
		}))
	);
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
