// The shared taxonomy's versions and the mappings between them (seeds/taxonomy*.yaml): read and
// checked without a database, then upserted. A draft version is loaded as a draft and never turned
// back into one once an operator has published it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { CoreDb } from '@mamori/db';
import * as core from '@mamori/db/core';
import { taxonomyMappingSeed, taxonomySeed, type TaxonomySeed } from '../domain/seed-schema.ts';
import { readYaml, SeedError, type SeedProblem } from './seed-files.ts';

/** Version 1 is taxonomy.yaml; version n > 1 is taxonomy-v<n>.yaml with taxonomy-v<n-1>-to-v<n>.yaml. */
const versionFile = (version: number) => (version === 1 ? 'taxonomy.yaml' : `taxonomy-v${version}.yaml`);
const mappingFile = (version: number) => `taxonomy-v${version - 1}-to-v${version}.yaml`;

function checkCategories(t: TaxonomySeed): SeedProblem[] {
	const codes = new Set<string>();
	const problems: SeedProblem[] = [];
	if ((t.publishedAt === undefined) === (t.draftedAt === undefined))
		problems.push({ path: ['version'], message: 'give either publishedAt or draftedAt (a draft)' });
	t.categories.forEach((c, i) => {
		if (codes.has(c.code)) problems.push({ path: ['categories', i, 'code'], message: `duplicate code ${c.code}` });
		if (c.parent && !codes.has(c.parent))
			problems.push({
				path: ['categories', i, 'parent'],
				message: `parent ${c.parent} must be defined before ${c.code}`
			});
		codes.add(c.code);
	});
	return problems;
}

function readMapping(seedsDir: string, from: TaxonomySeed, to: TaxonomySeed) {
	const fromCodes = new Set(from.categories.map((c) => c.code));
	const toCodes = new Set(to.categories.map((c) => c.code));
	return readYaml(join(seedsDir, mappingFile(to.version)), taxonomyMappingSeed, (m) => {
		const problems: SeedProblem[] = [];
		if (m.from !== from.version || m.to !== to.version)
			problems.push({ path: ['to'], message: `must map version ${from.version} to ${to.version}` });
		const listed = new Set<string>();
		m.codes.forEach((entry, i) => {
			if (!fromCodes.has(entry.code))
				problems.push({
					path: ['codes', i, 'code'],
					message: `${entry.code} is not a code of version ${from.version}`
				});
			if (listed.has(entry.code))
				problems.push({ path: ['codes', i, 'code'], message: `duplicate code ${entry.code}` });
			listed.add(entry.code);
			const fallbacks = entry.rules.filter((r) => !r.when);
			if (fallbacks.length !== 1 || entry.rules.at(-1)!.when)
				problems.push({ path: ['codes', i, 'rules'], message: 'end with exactly one rule without `when`' });
			entry.rules.forEach((r, k) =>
				r.to.forEach((code, j) => {
					if (!toCodes.has(code))
						problems.push({
							path: ['codes', i, 'rules', k, 'to', j],
							message: `${code} is not a code of version ${to.version}`
						});
				})
			);
		});
		// A code that the new version drops must say where its initiatives go.
		from.categories.forEach((c) => {
			if (!toCodes.has(c.code) && !listed.has(c.code))
				problems.push({ path: ['codes'], message: `${c.code} is retired in version ${to.version} but not mapped` });
		});
		return problems;
	});
}

export type TaxonomySeeds = ReturnType<typeof readTaxonomySeeds>;

/** Every taxonomy version in seeds/, in order, with the mapping into each from the one before. */
export function readTaxonomySeeds(seedsDir: string) {
	const versions: TaxonomySeed[] = [];
	const mappings: ReturnType<typeof readMapping>[] = [];
	for (let v = 1; existsSync(join(seedsDir, versionFile(v))); v++) {
		const t = readYaml(join(seedsDir, versionFile(v)), taxonomySeed, checkCategories);
		if (t.version !== v) throw new SeedError(`${versionFile(v)}: version: must be ${v}`);
		if (v > 1) mappings.push(readMapping(seedsDir, versions.at(-1)!, t));
		versions.push(t);
	}
	if (!versions.length) throw new SeedError('taxonomy.yaml: missing');
	const published = versions.filter((t) => t.publishedAt !== undefined);
	if (!published.length) throw new SeedError('taxonomy.yaml: publishedAt: version 1 must be published');
	return {
		versions,
		mappings,
		/** The codes city seeds and indicators are written in: the newest version published in seeds/. */
		codes: new Set(published.at(-1)!.categories.map((c) => c.code))
	};
}

export function taxonomyStatements(db: CoreDb, { versions, mappings }: TaxonomySeeds) {
	const excluded = (column: string) => sql.raw(`excluded.${column}`);
	const entry = (t: TaxonomySeed) =>
		t.categories.map((c, position) => ({
			code: c.code,
			version: t.version,
			parentCode: c.parent ?? null,
			nameJa: c.nameJa,
			nameEn: c.nameEn,
			definition: c.definition,
			definitionEn: c.definitionEn,
			position
		}));
	const texts = {
		parentCode: excluded('parent_code'),
		nameJa: excluded('name_ja'),
		nameEn: excluded('name_en'),
		definition: excluded('definition'),
		definitionEn: excluded('definition_en'),
		position: excluded('position')
	};
	// The register of codes: each with the words of the version that introduced it.
	const register = new Map<string, ReturnType<typeof entry>[number]>();
	for (const t of versions) for (const e of entry(t)) if (!register.has(e.code)) register.set(e.code, e);
	return [
		...versions.map((t) =>
			t.publishedAt !== undefined
				? db
						.insert(core.taxonomyVersions)
						.values({ version: t.version, publishedAt: t.publishedAt, status: 'published' })
						.onConflictDoUpdate({
							target: core.taxonomyVersions.version,
							set: { publishedAt: excluded('published_at'), status: 'published' }
						})
				: db
						.insert(core.taxonomyVersions)
						.values({ version: t.version, publishedAt: t.draftedAt!, status: 'draft' })
						.onConflictDoNothing()
		),
		db
			.insert(core.taxonomyCategories)
			.values([...register.values()])
			.onConflictDoUpdate({
				target: core.taxonomyCategories.code,
				set: { version: excluded('version'), ...texts }
			}),
		db
			.insert(core.taxonomyEntries)
			.values(versions.flatMap(entry))
			.onConflictDoUpdate({ target: [core.taxonomyEntries.version, core.taxonomyEntries.code], set: texts }),
		...mappings
			.filter((m) => m.codes.length)
			.map((m) =>
				db
					.insert(core.taxonomyMappings)
					.values(
						m.codes.map((c, position) => ({
							version: m.to,
							fromCode: c.code,
							rules: c.rules,
							note: c.note,
							position
						}))
					)
					.onConflictDoUpdate({
						target: [core.taxonomyMappings.version, core.taxonomyMappings.fromCode],
						set: { rules: excluded('rules'), note: excluded('note'), position: excluded('position') }
					})
			)
	];
}
