// The synthetic fleet of `npm run bench`: one city per municipality in seeds/municipalities.csv,
// each registered and provisioned like a new city, migrated by the fleet migrator, loaded with one
// of the seed cities' plans (so plans the size of the seed plans) with its records copied into the
// two fiscal years after, and every year with figures published. All through the project's own
// directory, migrator, seeder and publisher.
import { join } from 'node:path';
import { openCore, openTenant, type DatabaseLocation } from '@mamori/db';
import { tenants } from '@mamori/db/core';
import { tenantDatabaseName } from '@mamori/db/directory';
import { eachBounded, withRetry, type SqldDirectory } from '@mamori/db/node';
import { tenantContext } from '@mamori/services';
import { figureYears, listPublications, publishFiscalYear } from '@mamori/services/benchmarks';
import type { CitySeed } from '@mamori/services/domain';
import { cityFiles, readCitySeed, readCoreSeeds, seedCity, stableId } from '@mamori/services/node';

/**
 * The fiscal year the benchmark views are measured in: the one the seed plans' shared indicators
 * have figures for (目黒区's baselines, 小金井市's records moved on), so most of a prefecture's
 * cities are in its table. The newest year published is that of 苫小牧市's copies, which share no
 * indicator: a view of it is an empty table whatever the size of the fleet.
 */
export const BENCHMARK_YEAR = 2020;

export interface FleetCity {
	slug: string;
	municipalityCode: string;
	name: string;
	seed: CitySeed;
}

/** The seed cities' plans, the municipality master, and a synthetic city for each other municipality. */
export function syntheticFleet(seedsDir: string): { seedSlugs: string[]; cities: FleetCity[] } {
	const shared = readCoreSeeds(seedsDir);
	const templates = cityFiles(seedsDir).map((file) => readCitySeed(file, shared));
	const taken = new Set(templates.map((t) => t.tenant.municipalityCode));
	const cities = shared.municipalities
		.filter((m) => !taken.has(m.code!))
		.map((m, i): FleetCity => {
			const template = templates[i % templates.length]!;
			const slug = `m${m.code}`;
			return { slug, municipalityCode: m.code!, name: m.name!, seed: withLaterYears(template, slug, m) };
		});
	return { seedSlugs: templates.map((t) => t.tenant.slug), cities };
}

/** A copy of a seed plan for another city, its records also in the two fiscal years after theirs. */
function withLaterYears(template: CitySeed, slug: string, m: Record<string, string | undefined>): CitySeed {
	const seed = structuredClone(template);
	seed.tenant = { slug, municipalityCode: m.code!, name: m.name! };
	type Node = CitySeed['nodes'][number];
	const walk = (nodes: Node[]) =>
		nodes.forEach((node) => {
			for (const initiative of node.initiatives) {
				const original = initiative.records;
				const years = new Set(original.map((r) => r.fiscalYear));
				const later: typeof original = [];
				for (const shift of [1, 2])
					for (const year of new Set(original.map((r) => r.fiscalYear))) {
						if (years.has(year + shift)) continue;
						years.add(year + shift);
						for (const r of original.filter((x) => x.fiscalYear === year))
							later.push({
								...structuredClone(r),
								fiscalYear: year + shift,
								metrics: r.metrics.map((metric) => ({
									...structuredClone(metric),
									...(metric.period ? { period: { ...metric.period, year: metric.period.year + shift } } : {})
								}))
							});
					}
				initiative.records.push(...later);
			}
			walk(node.children);
		});
	walk(seed.nodes);
	return seed;
}

/**
 * Registers the cities in the core database and provisions an empty database for each (what the
 * operator console's 新規作成 does), `concurrency` at a time: the migrator then finds them fresh.
 */
export async function registerFleet(options: {
	core: DatabaseLocation;
	directory: SqldDirectory;
	cities: FleetCity[];
	concurrency?: number;
}): Promise<void> {
	const core = openCore(options.core);
	try {
		for (let i = 0; i < options.cities.length; i += 200) {
			const chunk = options.cities.slice(i, i + 200);
			await core
				.insert(tenants)
				.values(
					chunk.map((city) => ({
						id: stableId('tenant', city.slug),
						slug: city.slug,
						municipalityCode: city.municipalityCode,
						databaseName: tenantDatabaseName(city.slug),
						databaseUrl: options.directory.locate(tenantDatabaseName(city.slug)).url
					}))
				)
				.onConflictDoNothing();
		}
	} finally {
		core.$client.close();
	}
	await eachBounded(options.cities, options.concurrency ?? 16, (city) =>
		options.directory.ensure(tenantDatabaseName(city.slug))
	);
}

/** How long the fleet loader waits for one answer of the core before it tries the city again. */
const LOADER_DEADLINE_MS = 120_000;

/** Loads each city's plan (the seeder) and publishes every year it has figures for (the publisher). */
export async function loadFleet(options: {
	core: DatabaseLocation;
	directory: SqldDirectory;
	cities: FleetCity[];
	concurrency?: number;
}): Promise<{ publications: number }> {
	// The loader is setup, not a measured path, so it waits for the core as a script may. Eight
	// loaders at once, each abandoning a core write at the app's 8 s deadline and sending it again,
	// twice left the core answering no write for minutes (every retry past its deadline; the bench
	// lost at city ~100 and ~1,640): now four at once, each waiting up to two minutes.
	const core = openCore({ ...options.core, deadlineMs: LOADER_DEADLINE_MS });
	let publications = 0;
	try {
		// A city's loading is tried again whole on a transient failure (a busy core, SQLITE_BUSY under
		// many publishers; a request past its deadline on a loaded machine): seeding is safe to
		// repeat, and a year already published is not published again.
		await eachBounded(options.cities, options.concurrency ?? 4, (city) =>
			withRetry(
				async () => {
					const seeded = await seedCity({ core, directory: options.directory, city: city.seed });
					const db = openTenant(seeded.location);
					try {
						const ctx = tenantContext({
							db,
							core,
							tenant: {
								id: stableId('tenant', city.slug),
								municipalityCode: city.municipalityCode,
								prefectureCode: city.municipalityCode.slice(0, 2),
								status: 'active'
							},
							principal: null,
							actor: { id: null, name: 'Mamori (bench)' },
							authorize: () => {}
						});
						const done = new Set((await listPublications({ core, tenantId: ctx.tenant.id })).map((p) => p.fiscalYear));
						for (const fiscalYear of await figureYears({ db })) {
							if (done.has(fiscalYear)) continue;
							await publishFiscalYear({ ctx, input: { fiscalYear } });
							publications++;
						}
					} finally {
						db.$client.close();
					}
				},
				{
					// Patient, and said aloud: a core that stops answering for tens of seconds is a finding
					// of the run, not a reason to lose it.
					attempts: 8,
					maxMs: 10_000,
					onRetry: (error, attempt) => {
						const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
						console.error(
							`fleet load: ${city.slug} attempt ${attempt} failed, retried (${String(error).split('\n')[0]!.slice(0, 120)}${cause})`
						);
					}
				}
			)
		);
	} finally {
		core.$client.close();
	}
	return { publications };
}

/** Every `step`-th city, so that a smaller fleet is spread over the prefectures like the whole. */
export function spread<T>(items: T[], count: number): T[] {
	if (count >= items.length) return items;
	const step = items.length / count;
	return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

export const seedsDirOf = (repoRoot: string) => join(repoRoot, 'seeds');
