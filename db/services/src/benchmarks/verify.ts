// The drift check: every published fact is compared with its source rows in the city's database.
// Runs from the API worker's scheduled handler (a slice of the day's pass per invocation) and as
// `npm run benchmarks:verify` (every city).
import { eq } from 'drizzle-orm';
import type { CoreDb, TenantDb } from '@mamori/db';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import { tenants } from '@mamori/db/core';
import { runFleetPass, type PassOptions } from '../fleet/pass.ts';
import { verifyTenantPublications, type Drift } from './publish.ts';

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
	now
}: {
	core: CoreDb;
	/** Opens a city's database from its directory row. */
	open: (tenant: { databaseUrl: string }) => TenantDb;
	pass?: PassOptions;
	concurrency?: number;
	now?: number;
}): Promise<DriftReport> {
	const published = await core
		.selectDistinct({ id: tenants.id, slug: tenants.slug, databaseUrl: tenants.databaseUrl })
		.from(benchmarkPublications)
		.innerJoin(tenants, eq(tenants.id, benchmarkPublications.tenantId));
	const { outcomes, complete } = await runFleetPass({
		core,
		cities: published,
		...(pass ? { pass } : {}),
		...(concurrency ? { concurrency } : {}),
		...(now ? { now } : {}),
		each: async (tenant) => {
			const db = open(tenant);
			try {
				return await verifyTenantPublications({ core, tenantId: tenant.id, db });
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
