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
import { planStatements } from '../plan/plan-rows.ts';
import { latestVersion, migrateTenantDatabase, migrationsFolder } from '@mamori/db/node';
import { tenantContext } from '../context.ts';
import { catchUpCity } from '../tenants/taxonomy-migration.ts';
import { readYaml, type SeedProblem } from './seed-files.ts';
import { stableId } from './core.ts';

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
		const statements: BatchItem<'sqlite'>[] = [
			...planStatements(db, city, {
				planId: stableId(slug, 'plan'),
				newPlan: true,
				id: (...parts) => stableId(slug, ...parts)
			}),
			db.insert(tenant.auditLog).values({
				id: stableId(slug, 'audit', 'seed'),
				at: new Date(),
				actorId: null,
				actorName: 'Mamori (seed)',
				entity: 'plan',
				entityId: stableId(slug, 'plan'),
				action: 'import',
				before: null,
				after: { source: city.plan.sourceDocument ?? null }
			})
		];
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

export function cityFiles(seedsDir: string): string[] {
	const dir = join(seedsDir, 'cities');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.yaml'))
		.sort()
		.map((f) => join(dir, f));
}
