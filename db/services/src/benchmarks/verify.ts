// The drift check: every published fact is compared with its source rows in the city's database.
// Runs from the API worker's scheduled handler (a slice of the day's pass per invocation) and as
// `npm run benchmarks:verify` (every city).
import { eq } from 'drizzle-orm';
import type { CoreDb, TenantDb } from '@mamori/db';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import { tenants } from '@mamori/db/core';
import { inPassOrder, runFleetPass, type PassOptions } from '../fleet/pass.ts';
import { compareWithSource, readPublished, verifyTenantPublications, type Drift, type Published } from './publish.ts';

/** Cities whose publications are read from the core in one round trip. */
const CORE_CHUNK = 50;

export interface DriftReport {
	checkedTenants: number;
	drift: (Drift & { slug: string })[];
	errors: { slug: string; error: string }[];
	/** false while the pass leaves cities for the next scheduled invocation. */
	complete: boolean;
}

/**
 * Checks every publishing city, a few at a time (a transient failure is tried again); with `pass`,
 * only the next `limit` cities of the day's pass (fleet/pass.ts).
 */
export async function verifyAllPublications({
	core,
	open,
	pass,
	concurrency,
	chunk: chunkSize = CORE_CHUNK,
	now
}: {
	core: CoreDb;
	/** Opens a city's database from its directory row. */
	open: (tenant: { databaseUrl: string }) => TenantDb;
	pass?: PassOptions;
	concurrency?: number;
	/** Cities whose publications one core read takes. */
	chunk?: number;
	now?: number;
}): Promise<DriftReport> {
	const published = await core
		.selectDistinct({ id: tenants.id, slug: tenants.slug, databaseUrl: tenants.databaseUrl })
		.from(benchmarkPublications)
		.innerJoin(tenants, eq(tenants.id, benchmarkPublications.tenantId));
	// What the cities published is read from the core a chunk of cities at a time, in the pass's
	// order, not once a city: each city then costs one round trip to its own database. Only the
	// chunks in flight are kept; a city retried later reads its chunk again.
	const ordered = inPassOrder(published);
	const position = new Map(ordered.map((t, i) => [t.id, i]));
	const chunks = new Map<number, Promise<Map<string, Published>>>();
	const publishedBy = async (id: string) => {
		const chunk = Math.floor(position.get(id)! / chunkSize);
		let rows = chunks.get(chunk);
		if (!rows) {
			for (const older of chunks.keys()) if (older < chunk - 1) chunks.delete(older);
			rows = readPublished(
				core,
				ordered.slice(chunk * chunkSize, (chunk + 1) * chunkSize).map((t) => t.id)
			);
			// A failed read is not kept: the city's retry reads again.
			rows.catch(() => chunks.delete(chunk));
			chunks.set(chunk, rows);
		}
		return (await rows).get(id)!;
	};
	const { outcomes, complete } = await runFleetPass({
		core,
		cities: published,
		...(pass ? { pass } : {}),
		...(concurrency ? { concurrency } : {}),
		...(now ? { now } : {}),
		each: async (tenant) => {
			const db = open(tenant);
			try {
				return await checkCity({ core, tenantId: tenant.id, db, published: await publishedBy(tenant.id) });
			} finally {
				db.$client.close();
			}
		}
	});
	const report: DriftReport = { checkedTenants: 0, drift: [], errors: [], complete };
	for (const outcome of outcomes) {
		if (!outcome.ok) {
			report.errors.push({ slug: outcome.city.slug, error: outcome.error });
			continue;
		}
		report.checkedTenants++;
		report.drift.push(...outcome.value.map((d) => ({ ...d, slug: outcome.city.slug })));
	}
	return report;
}

/**
 * One city's drift against what was read of its publications; when something differs, checked
 * again against what the core holds now (the city may have published since its chunk was read).
 */
export async function checkCity({
	core,
	tenantId,
	db,
	published
}: {
	core: CoreDb;
	tenantId: string;
	db: TenantDb;
	published: Published;
}): Promise<Drift[]> {
	const drift = await compareWithSource({ tenantId, db, published });
	return drift.length === 0 ? drift : verifyTenantPublications({ core, tenantId, db });
}
