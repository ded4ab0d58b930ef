// npm run db:bundle — writes db/databases/src/migrations/tenant.ts from db/databases/migrations/tenant, so that code in
// workerd (the operator console provisioning a city) can migrate a new tenant database.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleFolder, renderBundle } from '../src/node/migration-bundle.ts';
import { migrationsFolder } from '../src/node/fleet.ts';

const target = fileURLToPath(new URL('../src/migrations/tenant.ts', import.meta.url));
const source = await renderBundle(
	'tenantMigrations',
	'db/databases/migrations/tenant',
	bundleFolder(migrationsFolder.tenant)
);
writeFileSync(target, source);
console.log(`wrote ${target}`);
