// The shared data in the core database: prefectures, municipalities, taxonomy, shared indicators.
// Idempotent: upserted with the same values.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { CoreDb } from '@mamori/db';
import * as core from '@mamori/db/core';
import { isValidMunicipalityCode } from '../domain/municipality-code.ts';
import { indicatorsSeed } from '../domain/seed-schema.ts';
import { readCsv, readYaml, SeedError } from './seed-files.ts';
import { readTaxonomySeeds, taxonomyStatements } from './taxonomy.ts';

/** Ids derived from the seed content, so seeding the same file twice gives the same rows. */
export function stableId(...parts: (string | number)[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function chunks<T>(rows: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
	return out;
}

export interface CoreSeedSummary {
	prefectures: number;
	municipalities: number;
	categories: number;
	indicators: number;
	taxonomyCodes: Set<string>;
	indicatorCodes: Set<string>;
}

export type CoreSeeds = ReturnType<typeof readCoreSeeds>;

/** Reads and validates the shared seed files (no database needed). */
export function readCoreSeeds(seedsDir: string) {
	const prefectures = readCsv(join(seedsDir, 'prefectures.csv'));
	const municipalities = readCsv(join(seedsDir, 'municipalities.csv'));
	const populations = readCsv(join(seedsDir, 'populations.csv'));
	municipalities.forEach((m, i) => {
		if (!isValidMunicipalityCode(m.code ?? ''))
			throw new SeedError(`municipalities.csv:${i + 2}: code: 団体コードの検査数字が正しくありません (${m.code})`);
	});
	populations.forEach((p, i) => {
		if (!isValidMunicipalityCode(p.code ?? '') || !municipalities.some((m) => m.code === p.code))
			throw new SeedError(`populations.csv:${i + 2}: code: unknown municipality ${p.code}`);
		if (!/^\d+$/.test(p.population ?? ''))
			throw new SeedError(`populations.csv:${i + 2}: population: not a whole number`);
		if (!/^\d{4}-\d{2}-\d{2}$/.test(p.reference_date ?? '') || !p.kind || !p.source)
			throw new SeedError(`populations.csv:${i + 2}: reference_date (YYYY-MM-DD), kind and source are required`);
	});
	const taxonomy = readTaxonomySeeds(seedsDir);
	const taxonomyCodes = taxonomy.codes;
	const indicators = readYaml(join(seedsDir, 'indicators.yaml'), indicatorsSeed, (s) =>
		s.indicators.flatMap((ind, i) =>
			taxonomyCodes.has(ind.category)
				? []
				: [{ path: ['indicators', i, 'category'], message: `unknown taxonomy code ${ind.category}` }]
		)
	);

	return {
		prefectures,
		municipalities,
		populations,
		taxonomy,
		indicators,
		taxonomyCodes,
		indicatorCodes: new Set(indicators.indicators.map((i) => i.code))
	};
}

export async function seedCore(db: CoreDb, seeds: CoreSeeds): Promise<CoreSeedSummary> {
	const { prefectures, municipalities, populations, taxonomy, indicators, taxonomyCodes } = seeds;
	const excluded = (column: string) => sql.raw(`excluded.${column}`);
	const statements: BatchItem<'sqlite'>[] = [
		db
			.insert(core.prefectures)
			.values(
				prefectures.map((p) => ({
					code: p.code!,
					name: p.name!,
					kana: p.kana!,
					shortName: p.short_name!,
					nameEn: p.name_en!,
					iso3166_2: p.iso3166_2!
				}))
			)
			.onConflictDoUpdate({
				target: core.prefectures.code,
				set: {
					name: excluded('name'),
					kana: excluded('kana'),
					shortName: excluded('short_name'),
					nameEn: excluded('name_en'),
					iso3166_2: excluded('iso3166_2')
				}
			}),
		...chunks(municipalities, 300).map((rows) =>
			db
				.insert(core.municipalities)
				.values(
					rows.map((m) => ({
						code: m.code!,
						prefectureCode: m.prefecture_code!,
						name: m.name!,
						kana: m.kana!,
						url: m.url || null
					}))
				)
				.onConflictDoUpdate({
					target: core.municipalities.code,
					set: {
						prefectureCode: excluded('prefecture_code'),
						name: excluded('name'),
						kana: excluded('kana'),
						url: excluded('url')
					}
				})
		),
		db
			.insert(core.municipalityPopulations)
			.values(
				populations.map((p) => ({
					municipalityCode: p.code!,
					referenceDate: p.reference_date!,
					population: Number(p.population),
					kind: p.kind!,
					source: p.source!,
					note: p.note || null
				}))
			)
			.onConflictDoUpdate({
				target: [core.municipalityPopulations.municipalityCode, core.municipalityPopulations.referenceDate],
				set: {
					population: excluded('population'),
					kind: excluded('kind'),
					source: excluded('source'),
					note: excluded('note')
				}
			}),
		...taxonomyStatements(db, taxonomy),
		db
			.insert(core.sharedIndicators)
			.values(
				indicators.indicators.map((ind, position) => ({
					code: ind.code,
					version: indicators.version,
					nameJa: ind.nameJa,
					nameEn: ind.nameEn,
					unit: ind.unit,
					unitAliases: ind.unitAliases,
					stockFlow: ind.stockFlow,
					direction: ind.direction,
					normalisation: ind.normalisation,
					periodKind: ind.periodKind,
					categoryCode: ind.category,
					definition: ind.definition,
					position
				}))
			)
			.onConflictDoUpdate({
				target: core.sharedIndicators.code,
				set: {
					version: excluded('version'),
					nameJa: excluded('name_ja'),
					nameEn: excluded('name_en'),
					unit: excluded('unit'),
					unitAliases: excluded('unit_aliases'),
					stockFlow: excluded('stock_flow'),
					direction: excluded('direction'),
					normalisation: excluded('normalisation'),
					periodKind: excluded('period_kind'),
					categoryCode: excluded('category_code'),
					definition: excluded('definition'),
					position: excluded('position')
				}
			})
	];
	await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
	return {
		prefectures: prefectures.length,
		municipalities: municipalities.length,
		categories: taxonomy.versions.at(-1)!.categories.length,
		indicators: indicators.indicators.length,
		taxonomyCodes,
		indicatorCodes: seeds.indicatorCodes
	};
}

/** Reads and validates a city file, including its references to the shared taxonomy and indicators. */
