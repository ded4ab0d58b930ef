// Reads of what all cities share: municipalities, the taxonomy, shared indicators.
import { asc, desc, eq } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import { municipalities, prefectures, sharedIndicators, taxonomyCategories, taxonomyVersions } from '@mamori/db/core';

export async function findMunicipality({ core, code }: { core: CoreDb; code: string }) {
	const rows = await core
		.select({
			code: municipalities.code,
			name: municipalities.name,
			kana: municipalities.kana,
			prefectureCode: municipalities.prefectureCode,
			prefectureName: prefectures.name,
			population: municipalities.population,
			populationDate: municipalities.populationDate,
			populationKind: municipalities.populationKind
		})
		.from(municipalities)
		.innerJoin(prefectures, eq(prefectures.code, municipalities.prefectureCode))
		.where(eq(municipalities.code, code))
		.limit(1);
	return rows[0];
}

function taxonomyQueries(core: CoreDb) {
	return [
		core.select().from(taxonomyVersions).orderBy(desc(taxonomyVersions.version)).limit(1),
		core
			.select({
				code: taxonomyCategories.code,
				parentCode: taxonomyCategories.parentCode,
				nameJa: taxonomyCategories.nameJa,
				nameEn: taxonomyCategories.nameEn,
				definition: taxonomyCategories.definition
			})
			.from(taxonomyCategories)
			.orderBy(asc(taxonomyCategories.position)),
		core
			.select({
				code: sharedIndicators.code,
				nameJa: sharedIndicators.nameJa,
				nameEn: sharedIndicators.nameEn,
				unit: sharedIndicators.unit
			})
			.from(sharedIndicators)
			.orderBy(asc(sharedIndicators.position))
	] as const;
}

/** What every city shares and writes are checked against: taxonomy and shared indicators, one batch. */
export async function readSharedCodes({ core }: { core: CoreDb }) {
	const [versions, categories, indicators] = await core.batch(taxonomyQueries(core));
	return {
		taxonomy: { version: versions[0]?.version ?? null, categories },
		indicators,
		taxonomyCodes: new Set(categories.map((c) => c.code)),
		indicatorCodes: new Set(indicators.map((i) => i.code))
	};
}
export type SharedCodes = Awaited<ReturnType<typeof readSharedCodes>>;

/** The current taxonomy (for the API's /v1/taxonomy). */
export async function listTaxonomy({ core }: { core: CoreDb }) {
	const [versions, categories] = await core.batch([taxonomyQueries(core)[0], taxonomyQueries(core)[1]]);
	return { version: versions[0]?.version ?? null, categories };
}
