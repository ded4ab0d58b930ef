// npm run benchmarks:verify — reports every published benchmark fact that no longer matches its
// source rows in the city's database. Exit code 1 when anything drifted or could not be checked.
import { openCore, openTenant } from '@mamori/db';
import { verifyAllPublications } from '../src/benchmarks/verify.ts';
import { databaseConfigFromEnv } from '@mamori/db/node';

const config = databaseConfigFromEnv();
const core = openCore(config.core);
try {
	const report = await verifyAllPublications({
		core,
		open: (tenant) => openTenant({ url: tenant.databaseUrl, authToken: process.env.TENANT_DATABASE_AUTH_TOKEN })
	});
	console.log(`公表済みの自治体 ${report.checkedTenants} 件を照合しました。差異 ${report.drift.length} 件。`);
	for (const d of report.drift)
		console.log(
			`  ${d.slug} ${d.fiscalYear}年度 ${d.key}: 公表値 ${d.published ?? '（なし）'} / 現在の値 ${d.source ?? '（なし）'}`
		);
	for (const e of report.errors) console.error(`  ${e.slug}: 照合できませんでした: ${e.error}`);
	if (report.drift.length > 0 || report.errors.length > 0) process.exitCode = 1;
} finally {
	core.$client.close();
}
