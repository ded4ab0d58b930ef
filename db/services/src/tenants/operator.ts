// The operator console's verbs: subscribe a city (provision, migrate, invite its first admin),
// list the tenants with the state of their databases, suspend and resume.
import type { Client } from '@libsql/client';
import { and, asc, eq, or, sql, type Column } from 'drizzle-orm';
import { z } from 'zod';
import { openTenant, type TenantDb } from '@mamori/db';
import type { BatchItem } from 'drizzle-orm/batch';
import { municipalities, prefectures, tenants } from '@mamori/db/core';
import { tenantDatabaseName, type TenantDirectory } from '@mamori/db/directory';
import { fields } from '../domain/index.ts';
import { newId } from '@mamori/db';
import { issueInvitation } from '../auth/invitations.ts';
import type { CoreContext } from '../context.ts';
import { isEmail, normalizeEmail } from '../auth/users.ts';
import { appliedVersion, applyMigrations } from '@mamori/db/migrations';
import { tenantMigrations } from '@mamori/db/migrations/tenant';
import { InvalidError, NotFoundError, parseInput, zodMessage, type FieldIssues } from '../errors.ts';
import { tenantFields, withPlace } from './tenants.ts';

export type OperatorContext = CoreContext;

const newTenantInput = z.object({
	municipalityCode: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), fields.municipalityCode),
	slug: z.preprocess(
		(v) => (typeof v === 'string' ? v.trim() : v),
		fields.slug.refine((s) => !RESERVED_SLUGS.has(s), { error: zodMessage('error_slug_reserved') })
	),
	adminEmail: z
		.string({ error: zodMessage('field_email_invalid') })
		.transform(normalizeEmail)
		.refine(isEmail, { error: zodMessage('field_email_invalid') })
});
const inviteAdminInput = z.object({ tenantId: z.string().min(1), adminEmail: newTenantInput.shape.adminEmail });
const statusInput = z.object({ tenantId: z.string().min(1), status: z.enum(['active', 'suspended']) });
const searchInput = z.object({
	q: z
		.string()
		.catch('')
		.transform((q) => q.slice(0, 50))
});

/** First path segments the app uses itself: a city there could never be reached. */
export const RESERVED_SLUGS = new Set([
	'account',
	'admin',
	'api',
	'app',
	'assets',
	'benchmarks',
	'favicon',
	'invite',
	'login',
	'logout',
	'operator',
	'reset-password',
	'shimin',
	'static',
	'v1'
]);

/** The master's kana is hiragana: an operator may type katakana. */
const hiragana = (text: string) => text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

const containing = (column: Column, term: string) =>
	sql`${column} LIKE ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`;

/** Words of a city's web address that do not name it (www.city.meguro.tokyo.jp → meguro). */
const ADDRESS_WORDS = new Set(['www', 'city', 'town', 'vill', 'village', 'ward', 'lg', 'jp', 'go', 'or', 'ne', 'co']);

/** A name for the city's URL taken from its web address, to start from (the operator may change it). */
export function suggestedSlug(url: string | null): string {
	if (!url) return '';
	let host: string;
	try {
		host = new URL(url).hostname;
	} catch {
		return '';
	}
	const word = host.split('.').find((w) => !ADDRESS_WORDS.has(w) && /^[a-z][a-z0-9-]{1,39}$/.test(w));
	return word && !RESERVED_SLUGS.has(word) ? word : '';
}

/**
 * Municipalities of the master whose name, kana or code contains what the operator typed (at most
 * 20), with whether the city is already subscribed and a name for its URL to start from.
 */
export async function findMunicipalities({ ctx, input: raw }: { ctx: OperatorContext; input: unknown }) {
	ctx.authorize('operator.console');
	const term = parseInput(searchInput, raw).q.normalize('NFKC').replace(/\s+/g, '');
	if (!term) return [];
	const rows = await ctx.core
		.select({ municipality: municipalities, prefectureName: prefectures.name, subscribedAs: tenants.slug })
		.from(municipalities)
		.innerJoin(prefectures, eq(prefectures.code, municipalities.prefectureCode))
		.leftJoin(tenants, eq(tenants.municipalityCode, municipalities.code))
		.where(
			/^\d{6}$/.test(term)
				? eq(municipalities.code, term)
				: or(
						containing(municipalities.name, term),
						containing(municipalities.kana, hiragana(term)),
						containing(municipalities.code, term)
					)
		)
		.orderBy(asc(municipalities.code))
		.limit(20);
	return rows.map(({ municipality: { code, name, kana, url }, ...row }) => ({
		code,
		name,
		kana,
		...row,
		suggestedSlug: suggestedSlug(url)
	}));
}

export const LATEST_TENANT_VERSION = tenantMigrations.at(-1)!.tag;

export async function createTenant({
	ctx,
	directory,
	input: raw
}: {
	ctx: OperatorContext;
	directory: TenantDirectory;
	input: unknown;
}) {
	ctx.authorize('operator.tenants');
	const input = parseInput(newTenantInput, raw);
	const municipality = await checkNewTenant(ctx, input);
	const { tenant } = await provisionTenant({ ctx, directory, input, municipality });
	return { tenant, invitation: await inviteFirstAdmin(ctx, tenant.id, input.adminEmail) };
}

export type NewTenant = z.infer<typeof newTenantInput>;
export { newTenantInput };

/** Refuses a municipality that is unknown or already subscribed, and a slug already taken; answers the municipality. */
export async function checkNewTenant(ctx: OperatorContext, input: NewTenant): Promise<{ code: string; name: string }> {
	const errors: FieldIssues = {};
	const [[municipality], taken] = await ctx.core.batch([
		ctx.core
			.select({ code: municipalities.code, name: municipalities.name })
			.from(municipalities)
			.where(eq(municipalities.code, input.municipalityCode)),
		ctx.core
			.select({ slug: tenants.slug, municipalityCode: tenants.municipalityCode })
			.from(tenants)
			.where(or(eq(tenants.slug, input.slug), eq(tenants.municipalityCode, input.municipalityCode)))
	]);
	if (!municipality) errors.municipalityCode = { key: 'error_municipality_unknown' };
	if (taken.some((t) => t.municipalityCode === input.municipalityCode))
		errors.municipalityCode = { key: 'error_municipality_subscribed' };
	if (taken.some((t) => t.slug === input.slug)) errors.slug = { key: 'error_slug_taken' };
	if (Object.keys(errors).length > 0) throw new InvalidError(errors);
	return municipality!;
}

/**
 * Creates and migrates the city's database, lets `fill` write into it, then lists the city (with
 * `alongside`, more core writes in the same batch). A city is listed only once its database works.
 * Creating and migrating are idempotent, so a failure part-way can simply be retried.
 */
export async function provisionTenant({
	ctx,
	directory,
	input,
	municipality,
	fill,
	alongside = () => []
}: {
	ctx: OperatorContext;
	directory: TenantDirectory;
	input: Pick<NewTenant, 'slug' | 'municipalityCode'>;
	municipality: { name: string };
	fill?: (db: TenantDb) => Promise<void>;
	alongside?: (tenantId: string) => BatchItem<'sqlite'>[];
}) {
	const now = ctx.now();
	const databaseName = tenantDatabaseName(input.slug);
	const location = await directory.ensure(databaseName);
	const db = openTenant(location);
	let schemaVersion: string;
	try {
		schemaVersion = await applyMigrations(db.$client, tenantMigrations);
		await fill?.(db);
	} finally {
		db.$client.close();
	}
	const id = newId(now);
	await ctx.core.batch([
		ctx.core.insert(tenants).values({
			id,
			slug: input.slug,
			municipalityCode: input.municipalityCode,
			databaseName,
			databaseUrl: location.url,
			schemaVersion,
			migratedAt: new Date(now)
		}),
		...alongside(id)
	]);
	return { tenant: { id, slug: input.slug, name: municipality.name } };
}

export function inviteFirstAdmin(ctx: OperatorContext, tenantId: string, email: string) {
	return issueInvitation({
		core: ctx.core,
		input: { tenantId, email, role: 'admin', invitedBy: ctx.actor.id },
		now: ctx.now()
	});
}

/** What a city's database answered when probed: its schema is the latest, behind, or no answer. */
export type DatabaseStatus = 'ok' | 'behind' | 'unreachable';

/** What the fleet migrator recorded of a city's database: latest, behind (or never migrated), failed. */
export type RecordedStatus = 'ok' | 'behind' | 'failed';

/** Cities shown per page of the operator console. */
export const TENANTS_PER_PAGE = 50;

const tenantListInput = z.object({
	q: searchInput.shape.q,
	state: z.enum(['ok', 'behind', 'failed']).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1)
});

/** The recorded status, as SQL (so that the list can be filtered and counted by it). */
const recordedStatus = sql<RecordedStatus>`CASE
	WHEN ${tenants.migrationError} IS NOT NULL THEN 'failed'
	WHEN ${tenants.schemaVersion} = ${LATEST_TENANT_VERSION} THEN 'ok'
	ELSE 'behind' END`;

/**
 * The operator console's list of cities: what the directory and the fleet migrator recorded of
 * each (schema version, when migrated, the error of a failed migration), never probing a
 * database, so that it reads the same at 3 cities and at 1,741: one batch, a page of
 * TENANTS_PER_PAGE, searchable by name, kana, slug or code and filtered by recorded status, with
 * the count of each status over the whole fleet. A city's database is probed on request
 * (probeTenantDatabase).
 */
export async function listTenantsWithStatus({ ctx, input: raw }: { ctx: OperatorContext; input: unknown }) {
	ctx.authorize('operator.console');
	const input = parseInput(tenantListInput, raw);
	const term = input.q.normalize('NFKC').replace(/\s+/g, '');
	const matching = term
		? or(
				containing(municipalities.name, term),
				containing(municipalities.kana, hiragana(term)),
				containing(tenants.slug, term),
				containing(municipalities.code, term)
			)
		: undefined;
	const where = and(matching, input.state ? sql`${recordedStatus} = ${input.state}` : undefined);
	const [rows, counts] = await ctx.core.batch([
		withPlace(
			ctx.core
				.select({
					...tenantFields,
					databaseName: tenants.databaseName,
					recordedVersion: tenants.schemaVersion,
					recordedStatus,
					migratedAt: tenants.migratedAt,
					migrationError: tenants.migrationError,
					createdAt: tenants.createdAt,
					// Of the search and filter, however many pages: the pager's last page.
					matching: sql<number>`count(*) OVER ()`
				})
				.from(tenants)
				.$dynamic()
		)
			.where(where)
			.orderBy(asc(tenants.municipalityCode))
			.limit(TENANTS_PER_PAGE)
			.offset((input.page - 1) * TENANTS_PER_PAGE),
		ctx.core
			.select({ status: recordedStatus, count: sql<number>`count(*)` })
			.from(tenants)
			.groupBy(recordedStatus)
	]);
	const byStatus: Record<RecordedStatus, number> = { ok: 0, behind: 0, failed: 0 };
	for (const c of counts) byStatus[c.status] = c.count;
	const matchingCount = rows[0]?.matching ?? 0;
	return {
		latestVersion: LATEST_TENANT_VERSION,
		q: input.q,
		state: input.state ?? null,
		page: input.page,
		pages: Math.max(1, Math.ceil(matchingCount / TENANTS_PER_PAGE)),
		matching: matchingCount,
		total: byStatus.ok + byStatus.behind + byStatus.failed,
		byStatus,
		tenants: rows.map(({ databaseUrl: _url, matching: _m, ...row }) => row)
	};
}

/** Asks one city's database, now, which schema it has (the operator console's "probe" button). */
export async function probeTenantDatabase({
	ctx,
	open,
	input: raw,
	timeoutMs = 5000
}: {
	ctx: OperatorContext;
	open: (tenant: { databaseUrl: string }) => Client;
	input: unknown;
	timeoutMs?: number;
}): Promise<{ tenantId: string; status: DatabaseStatus; version: string | null }> {
	ctx.authorize('operator.console');
	const { tenantId } = parseInput(z.object({ tenantId: z.string().min(1).max(100) }), raw);
	const [row] = await ctx.core
		.select({ id: tenants.id, databaseUrl: tenants.databaseUrl })
		.from(tenants)
		.where(eq(tenants.id, tenantId));
	if (!row) throw new NotFoundError('tenant');
	const client = open(row);
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const version = await Promise.race([
			appliedVersion(client, tenantMigrations),
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
			})
		]);
		return { tenantId, status: version === LATEST_TENANT_VERSION ? 'ok' : 'behind', version };
	} catch {
		return { tenantId, status: 'unreachable', version: null };
	} finally {
		clearTimeout(timer);
		client.close();
	}
}

/** A new invitation for a city's admin, e.g. when the first one expired unused. */
export async function inviteTenantAdmin({ ctx, input: raw }: { ctx: OperatorContext; input: unknown }) {
	ctx.authorize('operator.tenants');
	const input = parseInput(inviteAdminInput, raw);
	const email = input.adminEmail;
	const [tenant] = await ctx.core
		.select({ id: tenants.id, slug: tenants.slug, name: municipalities.name })
		.from(tenants)
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.where(eq(tenants.id, input.tenantId));
	if (!tenant) throw new NotFoundError('tenant');
	const invitation = await issueInvitation({
		core: ctx.core,
		input: { tenantId: tenant.id, email, role: 'admin', invitedBy: ctx.actor.id },
		now: ctx.now()
	});
	return { tenant, invitation };
}

export async function setTenantStatus({ ctx, input: raw }: { ctx: OperatorContext; input: unknown }): Promise<void> {
	ctx.authorize('operator.tenants');
	const input = parseInput(statusInput, raw);
	const updated = await ctx.core
		.update(tenants)
		.set({ status: input.status })
		.where(eq(tenants.id, input.tenantId))
		.returning({ id: tenants.id });
	if (updated.length === 0) throw new NotFoundError('tenant');
}
