// Each of the three source documents, imported through the document importer, gives the plan
// transcribed into seeds/cities/<slug>.yaml: the same counts, titles, departments, years, texts
// and numbers, compared field by field (equality.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citySeed } from '../domain/seed-schema.ts';
import { readYaml } from '../seed/seed-files.ts';
import { readTaxonomySeeds } from '../seed/taxonomy.ts';
import { planDifferences } from './equality.ts';
import { parsePlanDocument } from './parse.ts';

const seeds = fileURLToPath(new URL('../../../../seeds', import.meta.url));
const documents = fileURLToPath(new URL('../../../../seeds/source-documents', import.meta.url));

const CITIES = [
	{ slug: 'meguro', file: '000_546816122e62cbb9.txt' },
	{ slug: 'koganei', file: '003_1ed67404a1eddd69.txt' },
	{ slug: 'tomakomai', file: '004_5f5b9656b7fa9dc1.txt' }
];

describe('the document importer gives the seeded plan of each city', () => {
	const codes = new Set([...readTaxonomySeeds(seeds).codes]);
	for (const { slug, file } of CITIES)
		it(`${slug}: ${file}`, () => {
			const seed = readYaml(`${seeds}/cities/${slug}.yaml`, citySeed);
			const proposal = parsePlanDocument(readFileSync(`${documents}/${file}`, 'utf8'), codes);
			expect(planDifferences(seed, proposal)).toEqual([]);
		});
});
