// Publishing a new taxonomy version: every city's categorisation is moved by the declared mapping
// (seeds/taxonomy-v1-to-v2.yaml, held in the core), each city in one atomic batch with a history
// row per changed initiative; then the version is put in force. A city already moved is skipped,
// so a run that failed part-way is simply run again, and a published version is not run again.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { TenantDb } from '@mamori/db';
import { taxonomyEntries, taxonomyMappings, taxonomyVersions, type TaxonomyMappingRule } from '@mamori/db/core';
import { initiativeCategories, initiatives, taxonomyAdoptions, yearlyRecords } from '@mamori/db/tenant';
import { tenantContext, type CoreContext, type TenantContext } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { auditEntry } from '../plan/audit.ts';
import type { Statement } from '../plan/versioned.ts';
import { categoriesOf, versionInForce } from '../taxonomy.ts';
import { listTenants, type TenantRow } from './tenants.ts';

export type TaxonomyMapping = Map<string, TaxonomyMappingRule[]>;

const words = (text: string) => text.normalize('NFKC');

/**
 * An initiative's codes in the new version: each code by its rules (a code not in the mapping
 * keeps its code), in order, without repeats; `review` lists the codes the city is asked to check.
 */
export function mapCategories(codes: string[], mapping: TaxonomyMapping, text: string) {
	const haystack = words(text);
	const mapped: string[] = [];
	const review: string[] = [];
	for (const code of codes) {
		const rules = mapping.get(code);
		if (!rules) {
			mapped.push(code);
			continue;
		}
		const chosen = rules.filter((r) => r.when?.some((w) => haystack.includes(words(w))));
		for (const rule of chosen.length ? chosen : rules.filter((r) => !r.when)) {
			mapped.push(...rule.to);
			// What the city is asked to check: the codes the rule brought that it did not have.
			if (rule.review) review.push(...rule.to.filter((c) => !codes.includes(c)));
		}
	}
	return { codes: [...new Set(mapped)], review: [...new Set(review)] };
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

export interface CityMove {
	initiativeId: string;
	title: string;
	before: string[];
	after: string[];
	review: string[];
}

/** What moving one city to `version` would change (nothing is written); null when it has moved already. */
export async function planCityMove(db: TenantDb, version: number, mapping: TaxonomyMapping) {
	const [adopted, rows, links, records] = await db.batch([
		db.select().from(taxonomyAdoptions).where(eq(taxonomyAdoptions.version, version)),
		// Deleted initiatives too: one brought back must carry codes of the version in force.
		db
			.select({
				id: initiatives.id,
				title: initiatives.title,
				description: initiatives.description,
				version: initiatives.version
			})
			.from(initiatives)
			.orderBy(asc(initiatives.position)),
		db.select().from(initiativeCategories).orderBy(asc(initiativeCategories.position)),
		db
			.select({ initiativeId: yearlyRecords.initiativeId, text: yearlyRecords.text })
			.from(yearlyRecords)
			.where(isNull(yearlyRecords.deletedAt))
	]);
	if (adopted.length) return null;
	const moves: (CityMove & { version: number })[] = [];
	for (const ini of rows) {
		const before = links.filter((l) => l.initiativeId === ini.id).map((l) => l.categoryCode);
		const text = [
			ini.title,
			ini.description ?? '',
			...records.filter((r) => r.initiativeId === ini.id).map((r) => r.text)
		];
		const { codes: after, review } = mapCategories(before, mapping, text.join('\n'));
		if (!same(before, after))
			moves.push({ initiativeId: ini.id, title: ini.title, before, after, review, version: ini.version });
	}
	return moves;
}

/** The statements that move one city: each changed initiative with its history row, and the adoption. */
function moveStatements(ctx: TenantContext, version: number, moves: (CityMove & { version: number })[]): Statement[] {
	const { db } = ctx;
	const at = new Date(ctx.now());
	return [
		...moves.flatMap((m) => [
			db.delete(initiativeCategories).where(eq(initiativeCategories.initiativeId, m.initiativeId)),
			db
				.insert(initiativeCategories)
				.values(m.after.map((categoryCode, position) => ({ initiativeId: m.initiativeId, categoryCode, position }))),
			// The categorisation changed under any open form: its save is refused as a conflict.
			db
				.update(initiatives)
				.set({ version: m.version + 1, updatedAt: at, taxonomyReview: m.review.length ? m.review : null })
				.where(and(eq(initiatives.id, m.initiativeId), eq(initiatives.version, m.version))),
			auditEntry(ctx, {
				entity: 'initiative',
				entityId: m.initiativeId,
				action: 'recategorise',
				before: { categoryCodes: m.before, taxonomyVersion: version - 1 },
				after: { categoryCodes: m.after, taxonomyVersion: version, review: m.review }
			})
		]),
		db.insert(taxonomyAdoptions).values({
			version,
			adoptedAt: at,
			actorName: ctx.actor.name,
			changed: moves.length,
			flagged: moves.filter((m) => m.review.length).length
		})
	];
}

/** Moves one city to `version` in one batch; null when it had moved already. */
async function moveCity(ctx: TenantContext, version: number, mapping: TaxonomyMapping) {
	const moves = await planCityMove(ctx.db, version, mapping);
	if (moves) await ctx.db.batch(moveStatements(ctx, version, moves) as [Statement, ...Statement[]]);
	return moves;
}

/**
 * A city whose plan was loaded with codes of an earlier version (a seed city loaded after a newer
 * version was published) is moved, version by version, to the one in force.
 */
export async function catchUpCity(ctx: TenantContext): Promise<number> {
	const [versions, mappings] = await ctx.core.batch([
		ctx.core.select().from(taxonomyVersions).orderBy(asc(taxonomyVersions.version)),
		ctx.core.select().from(taxonomyMappings).orderBy(asc(taxonomyMappings.position))
	]);
	let moved = 0;
	for (let version = 2; version <= (versionInForce(versions) ?? 1); version++) {
		const mapping = new Map(mappings.filter((m) => m.version === version).map((m) => [m.fromCode, m.rules]));
		moved += (await moveCity(ctx, version, mapping))?.length ?? 0;
	}
	return moved;
}

const versionInput = z.object({ version: z.coerce.number().int().positive() });

/** The version asked for (authorised, parsed), the one in force, both lists and the mapping between them. */
async function readDraft(ctx: CoreContext, raw: unknown) {
	ctx.authorize('operator.taxonomy');
	const { version } = parseInput(versionInput, raw);
	const { core } = ctx;
	const [versions, entries, mappings] = await core.batch([
		core.select().from(taxonomyVersions).orderBy(asc(taxonomyVersions.version)),
		core.select().from(taxonomyEntries).orderBy(asc(taxonomyEntries.version), asc(taxonomyEntries.position)),
		core
			.select()
			.from(taxonomyMappings)
			.where(eq(taxonomyMappings.version, version))
			.orderBy(asc(taxonomyMappings.position))
	]);
	const target = versions.find((v) => v.version === version);
	if (!target) throw new NotFoundError();
	const inForce = versionInForce(versions);
	return {
		version,
		target,
		inForce,
		categories: categoriesOf(entries, version),
		previous: categoriesOf(entries, version - 1),
		mappings,
		mapping: new Map(mappings.map((m) => [m.fromCode, m.rules]))
	};
}

export interface CityOutcome {
	slug: string;
	name: string;
	/** null: the city had moved already. */
	changed: number | null;
	flagged: number;
	moves: CityMove[];
	error: string | null;
}

type Open = (tenant: { databaseUrl: string }) => TenantDb;

/** What a verb over every city takes: the operator's context, how to open a city's database, the version. */
interface FleetArgs {
	ctx: CoreContext;
	open: Open;
	input: unknown;
}

async function eachCity(
	ctx: CoreContext,
	open: Open,
	run: (db: TenantDb, city: TenantRow) => Promise<Omit<CityOutcome, 'slug' | 'name' | 'error'>>
): Promise<CityOutcome[]> {
	const cities = await listTenants({ core: ctx.core });
	const outcomes: CityOutcome[] = [];
	for (const city of cities) {
		const db = open(city);
		try {
			outcomes.push({ slug: city.slug, name: city.name, error: null, ...(await run(db, city)) });
		} catch (error) {
			outcomes.push({
				slug: city.slug,
				name: city.name,
				changed: null,
				flagged: 0,
				moves: [],
				error: error instanceof Error ? error.message : String(error)
			});
		} finally {
			db.$client.close();
		}
	}
	return outcomes;
}

const outcome = (moves: CityMove[] | null) => ({
	changed: moves ? moves.length : null,
	flagged: moves ? moves.filter((m) => m.review.length).length : 0,
	moves: moves ?? []
});

/**
 * What publishing a draft version would do: its new and retired codes, the declared mapping, and
 * each city's initiatives that would change. Nothing is written.
 */
export async function previewTaxonomyVersion({ ctx, open, input: raw }: FleetArgs) {
	const draft = await readDraft(ctx, raw);
	const { version } = draft;
	const before = new Set(draft.previous.map((c) => c.code));
	const after = new Set(draft.categories.map((c) => c.code));
	const cities =
		draft.target.status === 'draft'
			? await eachCity(ctx, open, async (db) => outcome(await planCityMove(db, version, draft.mapping)))
			: [];
	return {
		version,
		status: draft.target.status,
		inForce: draft.inForce,
		added: draft.categories.filter((c) => !before.has(c.code)),
		retired: draft.previous.filter((c) => !after.has(c.code)),
		mappings: draft.mappings.map((m) => ({ fromCode: m.fromCode, note: m.note, rules: m.rules })),
		categories: draft.categories,
		previous: draft.previous,
		cities
	};
}

/**
 * Publishes a draft version: moves every city (each atomically, with its history), then puts the
 * version in force when every city has moved. A city that fails is reported and the version stays
 * a draft; publishing again moves the rest. A version already published is refused, unchanged.
 */
export async function publishTaxonomyVersion({ ctx, open, input: raw }: FleetArgs) {
	const draft = await readDraft(ctx, raw);
	const { version } = draft;
	if (draft.target.status === 'published') throw invalid('version', 'error_taxonomy_published', { version });
	// Versions are put in force in order: each mapping is from the version before it.
	if (draft.inForce !== version - 1)
		throw invalid('version', 'error_taxonomy_out_of_order', { version, inForce: draft.inForce ?? 0 });
	const cities = await eachCity(ctx, open, async (db, city) => {
		const cityCtx = tenantContext({
			db,
			core: ctx.core,
			tenant: city,
			principal: ctx.principal,
			actor: ctx.actor,
			// The operator was authorised for the whole fleet above.
			authorize: () => {},
			now: ctx.now
		});
		return outcome(await moveCity(cityCtx, version, draft.mapping));
	});
	const published = cities.every((c) => c.error === null);
	if (published)
		await ctx.core
			.update(taxonomyVersions)
			.set({ status: 'published', publishedAt: tokyoDate(ctx.now()) })
			.where(eq(taxonomyVersions.version, version));
	return { version, published, cities };
}

/** The calendar date in Japan (publication dates are Japanese dates). */
const tokyoDate = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 10);

/** Every taxonomy version, oldest first, with its number of categories, and which one is in force. */
export async function listTaxonomyVersions({ ctx }: { ctx: CoreContext }) {
	ctx.authorize('operator.console');
	const [versions, entries] = await ctx.core.batch([
		ctx.core.select().from(taxonomyVersions).orderBy(asc(taxonomyVersions.version)),
		ctx.core.select({ version: taxonomyEntries.version }).from(taxonomyEntries)
	]);
	const inForce = versionInForce(versions);
	return {
		inForce,
		versions: versions.map((v) => ({
			...v,
			categories: entries.filter((e) => e.version === v.version).length,
			inForce: v.version === inForce
		})),
		/** The draft an operator may publish next: the one after the version in force. */
		next: versions.find((v) => v.status === 'draft' && v.version === (inForce ?? 0) + 1)?.version ?? null
	};
}
