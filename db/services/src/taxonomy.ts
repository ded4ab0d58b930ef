// Reads of what all cities share: municipalities, the taxonomy, shared indicators.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import {
	municipalities,
	municipalityPopulations,
	prefectures,
	sharedIndicators,
	taxonomyCategories,
	taxonomyEntries,
	taxonomyVersions
} from '@mamori/db/core';

export async function findMunicipality({ core, code }: { core: CoreDb; code: string }) {
	const rows = await core
		.select({
			code: municipalities.code,
			name: municipalities.name,
			kana: municipalities.kana,
			prefectureCode: municipalities.prefectureCode,
			prefectureName: prefectures.name,
			population: municipalityPopulations.population,
			populationDate: municipalityPopulations.referenceDate,
			populationKind: municipalityPopulations.kind
		})
		.from(municipalities)
		.innerJoin(prefectures, eq(prefectures.code, municipalities.prefectureCode))
		// The latest population held.
		.leftJoin(
			municipalityPopulations,
			and(
				eq(municipalityPopulations.municipalityCode, municipalities.code),
				eq(
					municipalityPopulations.referenceDate,
					sql`(SELECT max(p.reference_date) FROM municipality_populations p WHERE p.municipality_code = ${municipalities.code})`
				)
			)
		)
		.where(eq(municipalities.code, code))
		.limit(1);
	return rows[0];
}

type TaxonomyEntry = typeof taxonomyEntries.$inferSelect;

function taxonomyQueries(core: CoreDb) {
	return [
		core.select().from(taxonomyVersions).orderBy(asc(taxonomyVersions.version)),
		core.select().from(taxonomyEntries).orderBy(asc(taxonomyEntries.version), asc(taxonomyEntries.position)),
		core
			.select({ code: taxonomyCategories.code, nameJa: taxonomyCategories.nameJa, nameEn: taxonomyCategories.nameEn })
			.from(taxonomyCategories)
	] as const;
}

/** The version in force: the newest one an operator has published. */
export const versionInForce = (versions: { version: number; status: string }[]) =>
	versions.filter((v) => v.status === 'published').at(-1)?.version ?? null;

const categoryFields = ({ code, parentCode, nameJa, nameEn, definition, definitionEn }: TaxonomyEntry) => ({
	code,
	parentCode,
	nameJa,
	nameEn,
	definition,
	definitionEn
});

/** One version's categories, in that version's order and words. */
export const categoriesOf = (entries: TaxonomyEntry[], version: number | null) =>
	entries.filter((e) => e.version === version).map(categoryFields);

/** What every city shares and writes are checked against: taxonomy and shared indicators, one batch. */
export async function readSharedCodes({ core }: { core: CoreDb }) {
	const [versions, entries, register, indicators] = await core.batch([
		...taxonomyQueries(core),
		core
			.select({
				code: sharedIndicators.code,
				nameJa: sharedIndicators.nameJa,
				nameEn: sharedIndicators.nameEn,
				unit: sharedIndicators.unit,
				unitAliases: sharedIndicators.unitAliases,
				periodKind: sharedIndicators.periodKind,
				stockFlow: sharedIndicators.stockFlow
			})
			.from(sharedIndicators)
			.orderBy(asc(sharedIndicators.position))
	]);
	const version = versionInForce(versions);
	const categories = categoriesOf(entries, version);
	const taxonomyCodes = new Set(categories.map((c) => c.code));
	return {
		// retired: codes of earlier versions, so that a city's history can still name them.
		taxonomy: { version, categories, retired: register.filter((c) => !taxonomyCodes.has(c.code)) },
		indicators,
		taxonomyCodes,
		indicatorCodes: new Set(indicators.map((i) => i.code))
	};
}
export type SharedCodes = Awaited<ReturnType<typeof readSharedCodes>>;

/**
 * A fingerprint of what readSharedCodes reads, cheap enough to ask on every request (beside the
 * session, in the same batch: readRequestContext). It changes when a taxonomy version is added,
 * published or retired, when categories or their words are added, and when shared indicators are
 * added, removed or re-versioned (the seed gives a changed indicator a new version). No row: an
 * empty core database, whose codes are not cached.
 */
export function sharedStampQuery(core: CoreDb) {
	return core
		.select({
			stamp: sql<string>`(SELECT group_concat(v.version || ':' || v.status, ',') FROM taxonomy_versions v)
				|| '|' || (SELECT count(*) FROM taxonomy_entries) || '|' || (SELECT count(*) FROM taxonomy_categories)
				|| '|' || (SELECT count(*) || ':' || coalesce(sum(i.version), 0) FROM shared_indicators i)`
		})
		.from(taxonomyVersions)
		.limit(1);
}

// Per isolate (a Worker's module scope lives across its requests): the codes last read, under the
// stamp they were read at. Only resolved values are kept, never a pending read of another request.
let cachedCodes: { stamp: string; codes: SharedCodes } | undefined;

/**
 * The shared codes, without a round trip when `stamp` (read by this request) is the one they
 * were cached at; else read (one batch) and cached under it. Without a stamp: always read.
 */
export async function sharedCodesAt({ core, stamp }: { core: CoreDb; stamp?: string | undefined }) {
	if (stamp && cachedCodes?.stamp === stamp) return cachedCodes.codes;
	const codes = await readSharedCodes({ core });
	// Should the codes have changed between the stamp and this read, the next request's stamp differs.
	if (stamp) cachedCodes = { stamp, codes };
	return codes;
}

/**
 * A version of the taxonomy (for the API's /v1/taxonomy): the one in force unless one is asked
 * for; `version` null when that one is not published (a draft is nobody's to read). With every
 * published version, oldest first.
 */
export async function listTaxonomy({ core, version: asked }: { core: CoreDb; version?: number }) {
	const [versions, entries] = await core.batch([taxonomyQueries(core)[0], taxonomyQueries(core)[1]]);
	const version = asked ?? versionInForce(versions);
	const found = versions.find((v) => v.version === version && v.status === 'published');
	const inForce = versionInForce(versions);
	return {
		version: found ? version : null,
		publishedAt: found?.publishedAt ?? null,
		inForce: found ? version === inForce : false,
		categories: found ? categoriesOf(entries, version) : [],
		versions: versions
			.filter((v) => v.status === 'published')
			.map((v) => ({ version: v.version, publishedAt: v.publishedAt, inForce: v.version === inForce }))
	};
}

/** The shared indicators with their definitions, each at its own version, in their order. */
export async function listSharedIndicators({ core }: { core: CoreDb }) {
	return core
		.select({
			code: sharedIndicators.code,
			version: sharedIndicators.version,
			nameJa: sharedIndicators.nameJa,
			nameEn: sharedIndicators.nameEn,
			unit: sharedIndicators.unit,
			stockFlow: sharedIndicators.stockFlow,
			direction: sharedIndicators.direction,
			normalisation: sharedIndicators.normalisation,
			periodKind: sharedIndicators.periodKind,
			categoryCode: sharedIndicators.categoryCode,
			definition: sharedIndicators.definition
		})
		.from(sharedIndicators)
		.orderBy(asc(sharedIndicators.position));
}
