// Reads of the tenant directory in the core database.
import { asc, eq } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteSelect } from 'drizzle-orm/sqlite-core';
import type { CoreDb } from '@mamori/db';
import { municipalities, prefectures, tenants } from '@mamori/db/core';

export const tenantFields = {
	id: tenants.id,
	slug: tenants.slug,
	status: tenants.status,
	databaseUrl: tenants.databaseUrl,
	municipalityCode: tenants.municipalityCode,
	residentPage: tenants.residentPage,
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
	/** The city shows its plan and published progress to residents (/shimin/{slug}). */
	residentPage: boolean;
	name: string;
	prefectureCode: string;
	prefectureName: string;
};

/** A city as a request knows it (web locals, API variables): its row without where its database is. */
export type RequestTenant = Omit<TenantRow, 'databaseUrl'>;

/**
 * Joins a query of rows that name a tenant (`tenantId`: memberships, invitations, publications)
 * with the tenant and its municipality, for the city's slug and name. Build it `$dynamic()`.
 */
export function withCity<T extends SQLiteSelect>(query: T, tenantId: SQLiteColumn) {
	return query
		.innerJoin(tenants, eq(tenants.id, tenantId))
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode));
}

/** Joins a query of the directory (`from(tenants)`, built `$dynamic()`) with each city's municipality and prefecture. */
export function withPlace<T extends SQLiteSelect>(query: T) {
	return query
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.innerJoin(prefectures, eq(prefectures.code, municipalities.prefectureCode));
}

function tenantQuery(core: CoreDb) {
	return withPlace(core.select(tenantFields).from(tenants).$dynamic());
}

export async function listTenants({ core }: { core: CoreDb }): Promise<TenantRow[]> {
	return tenantQuery(core).orderBy(asc(municipalities.code));
}

/** The directory row of the city at `slug` (at most one), for a batch (readRequestContext). */
export function tenantBySlugQuery(core: CoreDb, slug: string) {
	return tenantQuery(core).where(eq(tenants.slug, slug)).limit(1);
}

export async function findTenantBySlug({ core, slug }: { core: CoreDb; slug: string }): Promise<TenantRow | undefined> {
	const rows: TenantRow[] = await tenantBySlugQuery(core, slug);
	return rows[0];
}
