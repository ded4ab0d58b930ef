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
import { citySeed, type CitySeed, type SeedNode } from '../domain/seed-schema.ts';
import { latestVersion, migrateTenantDatabase, migrationsFolder } from '@mamori/db/node';
import { readYaml, type SeedProblem } from './seed-files.ts';
import { chunks, stableId } from './core.ts';

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
