// Fuzzing (fast-check) of every zod schema the services export, and of the parsers and importers
// that read what a user sends: whatever comes in, the answer is a value or a located message (an
// InvalidError whose every issue names a field, or the form, and a key of the web app's catalogue),
// never another error. The schemas are found by importing every module of the package, so a
// schema added later is fuzzed without editing this file. Run counts are printed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addressKey, isEmail, normalizeEmail, parsePasswordHash, parseToken, passwordProblem } from './auth/index.ts';
import { parseFiscalYear, parseYearInput } from './domain/fiscal-year.ts';
import { isValidMunicipalityCode } from './domain/municipality-code.ts';
import { decodeMessage, InvalidError, parseInput, type Message } from './errors.ts';
import { readExportFile } from './export/restore.ts';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from './export/format.ts';
import { findReferenceDate } from './population/dates.ts';
import { readPopulationTable } from './population/layout.ts';
import { readSpreadsheet, type Cell } from './sheets/read.ts';

const srcDir = fileURLToPath(new URL('.', import.meta.url));
const catalogue = JSON.parse(
	readFileSync(new URL('../../../apps/web/messages/ja.json', import.meta.url), 'utf-8')
) as Record<string, string>;

const runs: Record<string, number> = {};
const count = (what: string) => () => void (runs[what] = (runs[what] ?? 0) + 1);

afterAll(() => {
	const total = Object.values(runs).reduce((a, b) => a + b, 0);
	console.log(
		`fuzz runs: ${total} in all\n` +
			Object.entries(runs)
				.map(([what, n]) => `  ${String(n).padStart(6)}  ${what}`)
				.join('\n')
	);
});

/** Every module of the package (not tests, not scripts), path → its exports. */
async function modules(): Promise<[string, Record<string, unknown>][]> {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) && entry.name !== 'node.ts')
				files.push(path);
		}
	};
	walk(srcDir);
	return Promise.all(
		files.sort().map(async (file) => [relative(srcDir, file), (await import(file)) as Record<string, unknown>] as const)
	) as Promise<[string, Record<string, unknown>][]>;
}

const exported = await modules();
const schemas = [
	...new Map(
		exported.flatMap(([file, names]) =>
			Object.entries(names)
				.filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType)
				.map(([name, schema]) => [schema, `${file} ${name}`] as const)
		)
	)
].map(([schema, name]) => ({ schema, name }));

/** The keys of an object schema (through refinements, pipes and defaults), or none. */
function keysOf(schema: z.ZodType): string[] {
	const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
	if (def.shape && typeof def.shape === 'object') return Object.keys(def.shape);
	for (const inner of [def.in, def.innerType, def.schema]) if (inner instanceof z.ZodType) return keysOf(inner);
	return [];
}

/** What an attacker or a broken client sends as one field's value. */
const hostileText = fc.constantFrom(
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	'javascript:alert(1)',
	"' OR 1=1 --",
	"'; DROP TABLE initiatives; --",
	'${7*7}{{7*7}}`${alert(1)}`',
	'\u0000\u202e\ufeff',
	'１２３４',
	'1e309',
	'-0',
	'NaN',
	'Infinity',
	'0x10',
	'2024-02-30',
	'令和元年',
	'__proto__',
	'constructor',
	'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
	'x'.repeat(25_000)
);
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
	{ weight: 3, arbitrary: hostileText },
	{ weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.integer({ min: 1900, max: 2100 }).map(String)) },
	{ weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, '', ' ', [], {}) },
	{ weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 10 }), hostileText), { maxLength: 4 }) },
	{ weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) }
);

/** A message the surfaces can word: a catalogue key, its message params too. */
function expectWorded(message: Message, where: string) {
	expect(catalogue, `${where}: message key`).toHaveProperty([message.key]);
	for (const param of Object.values(message.params ?? {}))
		if (param && typeof param === 'object' && 'key' in param)
			expect(catalogue, `${where}: param key`).toHaveProperty([(param as Message).key]);
}

/** A located answer: the field it is about (one of `fields`, or the form or file) and a worded message. */
function expectLocated(error: unknown, fields: string[], where: string) {
	if (!(error instanceof InvalidError)) throw error;
	expect(Object.keys(error.issues).length, `${where}: issues`).toBeGreaterThan(0);
	for (const [field, message] of Object.entries(error.issues)) {
		const top = field.split('.')[0]!;
		expect(['form', 'file', ...fields], `${where}: field ${field}`).toContain(top);
		expectWorded(message, `${where} ${field}`);
	}
}

describe('every exported zod schema, fuzzed', () => {
	it('finds the schemas by importing every module', () => {
		expect(schemas.length).toBeGreaterThanOrEqual(40);
		console.log(`fuzzed schemas: ${schemas.length}`);
	});

	for (const { schema, name } of schemas)
		it(name, () => {
			const fields = keysOf(schema);
			const record = fields.length
				? fc.oneof(
						{
							weight: 5,
							arbitrary: fc.record(Object.fromEntries(fields.map((k) => [k, fieldValue])), { requiredKeys: [] })
						},
						{ weight: 1, arbitrary: fc.anything() }
					)
				: fc.oneof(fieldValue, fc.anything());
			fc.assert(
				fc.property(record, (input) => {
					count('schema inputs')();
					try {
						parseInput(schema, input);
					} catch (error) {
						expectLocated(error, fields, name);
					}
				}),
				{ numRuns: 100 }
			);
		});
});

describe('parsers of what a user types or sends, fuzzed', () => {
	const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary' }), hostileText);
	const property = (what: string, check: (text: string) => void) =>
		it(what, () =>
			fc.assert(
				fc.property(anyText, (text) => (count(what)(), check(text))),
				{ numRuns: 500 }
			)
		);

	property('parseFiscalYear, parseYearInput: a year in range or null', (text) => {
		for (const year of [parseFiscalYear(text), parseYearInput(text)])
			if (year !== null)
				expect(Number.isSafeInteger(year) && year >= 0 && year < 10_000, `${text} → ${year}`).toBe(true);
	});
	property('findReferenceDate: an ISO date or null', (text) => {
		const date = findReferenceDate(text);
		if (date !== null) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});
	property('parseToken: both parts or null', (text) => {
		const token = parseToken(text);
		if (token) expect(`${token.id}.${token.secret}`).toBe(text);
	});
	property('parsePasswordHash: parameters within the memory cap, or null', (text) => {
		const parsed = parsePasswordHash(text);
		if (parsed) expect(parsed.ln).toBeGreaterThan(0);
	});
	property(
		'passwordProblem, normalizeEmail, isEmail, addressKey, municipality codes, decodeMessage: an answer',
		(text) => {
			const problem = passwordProblem(text, { email: `${text}@example.jp`, words: [text] });
			if (problem) expect(catalogue).toHaveProperty([`password_${problem}`]);
			expect(typeof normalizeEmail(text)).toBe('string');
			expect(typeof isEmail(text)).toBe('boolean');
			expect(typeof addressKey(text)).toBe('string');
			expect(typeof isValidMunicipalityCode(text)).toBe('boolean');
			expect(decodeMessage(text).key).toMatch(/^[a-z][a-z0-9_]*$/);
		}
	);
});

describe('importers, fuzzed', () => {
	const populationKeys = { xls: 'population_file_xls', unreadable: 'population_file_unreadable' };
	const cell: fc.Arbitrary<Cell> = fc.oneof(
		fc.constant(null),
		fc.string({ maxLength: 12 }),
		fc.double(),
		fc.integer(),
		fc.constantFrom('団体コード', '人口', '計', '男', '女', '131105', '13110', '1,234', '令和6年1月1日', '-1')
	);

	it('the population table: any cells give problems located by row and column, or rows', async () => {
		const master = [{ code: '131105', name: '目黒区', prefectureCode: '13' }];
		fc.assert(
			fc.property(fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 30 }), (cells) => {
				count('population tables')();
				const table = readPopulationTable(cells, master);
				if ('header' in table) return;
				for (const problem of table.problems)
					expect(problem).toMatchObject({ row: expect.any(Number), column: expect.stringMatching(/^[A-Z]+$/) });
			}),
			{ numRuns: 300 }
		);
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => {
				count('population files (bytes)')();
				try {
					expect(Array.isArray(await readSpreadsheet(bytes, populationKeys))).toBe(true);
				} catch (error) {
					expectLocated(error, [], 'population file');
				}
			}),
			{ numRuns: 100 }
		);
	});

	it('a city export file: random bytes, random JSON and a damaged export are a document or refused on the file field', async () => {
		const restore = async (bytes: Uint8Array, what: string) => {
			count(what)();
			try {
				const { document } = await readExportFile(bytes);
				expect(document.format).toBe(EXPORT_FORMAT);
			} catch (error) {
				expectLocated(error, [], what);
			}
		};
		const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 1_000 }), (bytes) => restore(bytes, 'export files (bytes)')),
			{ numRuns: 100 }
		);
		await fc.assert(
			fc.asyncProperty(fc.jsonValue(), (value) => restore(encode(value), 'export files (JSON)')),
			{ numRuns: 100 }
		);
		const shaped = fc.record({
			format: fc.constantFrom(EXPORT_FORMAT, 'other'),
			formatVersion: fc.constantFrom(EXPORT_FORMAT_VERSION, 2, '1', null),
			tables: fc.dictionary(
				fc.constantFrom('initiatives', 'planNodes', 'departments', 'auditLog', 'nope'),
				fc.array(fc.dictionary(fc.string({ maxLength: 12 }), fieldValue, { maxKeys: 6 }), { maxLength: 3 })
			)
		});
		await fc.assert(
			fc.asyncProperty(shaped, (value) => restore(encode(value), 'export files (shaped)')),
			{ numRuns: 200 }
		);
	});
});
