// Reads of the tenant directory in the core database.
import { asc, eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { municipalities, prefectures, tenants } from '@mamori/db/core';

const tenantFields = {
	id: tenants.id,
	slug: tenants.slug,
	status: tenants.status,
	databaseUrl: tenants.databaseUrl,
	municipalityCode: tenants.municipalityCode,
	name: municipalities.name,
	prefectureCode: prefectures.code,
	prefectureName: prefectures.name
};

export type TenantRow = {
	id: string;
	slug: string;
	status: 'active' | 'suspended';
	databaseUrl: string;
	municipalityCode: string;
	name: string;
	prefectureCode: string;
	prefectureName: string;
};

function tenantQuery(core: CoreDb) {
	return core
		.select(tenantFields)
		.from(tenants)
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.innerJoin(prefectures, eq(prefectures.code, municipalities.prefectureCode));
}

export async function listTenants({ core }: { core: CoreDb }): Promise<TenantRow[]> {
	return tenantQuery(core).orderBy(asc(municipalities.code));
}

export async function findTenantBySlug({ core, slug }: { core: CoreDb; slug: string }): Promise<TenantRow | undefined> {
	const rows = await tenantQuery(core).where(eq(tenants.slug, slug)).limit(1);
	return rows[0];
}
