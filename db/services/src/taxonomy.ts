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

export async function listTaxonomy({ core }: { core: CoreDb }) {
	const [versions, categories] = await core.batch([
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
			.orderBy(asc(taxonomyCategories.position))
	]);
	return { version: versions[0]?.version ?? null, categories };
}

export async function listSharedIndicators({ core }: { core: CoreDb }) {
	return core
		.select({
			code: sharedIndicators.code,
			nameJa: sharedIndicators.nameJa,
			nameEn: sharedIndicators.nameEn,
			unit: sharedIndicators.unit
		})
		.from(sharedIndicators)
		.orderBy(asc(sharedIndicators.position));
}
