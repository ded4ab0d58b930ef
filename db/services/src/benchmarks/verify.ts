// The drift check: every published fact is compared with its source rows in the city's database.
// Runs from the API worker's scheduled handler and as `npm run benchmarks:verify`.
import { eq } from 'drizzle-orm';
import type { CoreDb, TenantDb } from '@mamori/db';
import { benchmarkPublications } from '@mamori/db/core/benchmarks';
import { tenants } from '@mamori/db/core';
import { verifyTenantPublications, type Drift } from './publish.ts';

export interface DriftReport {
	checkedTenants: number;
	drift: (Drift & { slug: string })[];
	errors: { slug: string; error: string }[];
}

export async function verifyAllPublications({
	core,
	open
}: {
	core: CoreDb;
	/** Opens a city's database from its directory row. */
	open: (tenant: { databaseUrl: string }) => TenantDb;
}): Promise<DriftReport> {
	const published = await core
		.selectDistinct({ id: tenants.id, slug: tenants.slug, databaseUrl: tenants.databaseUrl })
		.from(benchmarkPublications)
		.innerJoin(tenants, eq(tenants.id, benchmarkPublications.tenantId));
	const report: DriftReport = { checkedTenants: 0, drift: [], errors: [] };
	for (const tenant of published) {
		const db = open(tenant);
		try {
			const drift = await verifyTenantPublications({ core, tenantId: tenant.id, db });
			report.drift.push(...drift.map((d) => ({ ...d, slug: tenant.slug })));
			report.checkedTenants++;
		} catch (error) {
			report.errors.push({ slug: tenant.slug, error: error instanceof Error ? error.message : String(error) });
		} finally {
			db.$client.close();
		}
	}
	return report;
}
