// The API worker: the /v1 JSON API, and the scheduled drift check of published benchmark facts.
import { openCore, openTenant } from '@mamori/db';
import { verifyAllPublications } from '@mamori/services/benchmarks';
import { app } from './app.ts';
import type { Bindings } from './env.ts';

/** Compares every published fact with its source rows in the city's database, and reports drift. */
export async function checkDrift(env: Bindings) {
	const core = openCore({ url: env.CORE_DATABASE_URL, authToken: env.CORE_DATABASE_AUTH_TOKEN });
	try {
		const report = await verifyAllPublications({
			core,
			open: (tenant) => openTenant({ url: tenant.databaseUrl, authToken: env.TENANT_DATABASE_AUTH_TOKEN })
		});
		for (const d of report.drift)
			console.warn(
				`benchmark drift: ${d.slug} FY${d.fiscalYear} ${d.key}: published ${d.published}, source ${d.source}`
			);
		for (const e of report.errors) console.error(`benchmark drift check failed for ${e.slug}: ${e.error}`);
		console.log(`benchmark drift check: ${report.checkedTenants} cities, ${report.drift.length} differences`);
		return report;
	} finally {
		core.$client.close();
	}
}

export default {
	fetch: app.fetch,
	async scheduled(_controller, env, ctx) {
		ctx.waitUntil(checkDrift(env));
	}
} satisfies ExportedHandler<Bindings>;
