// The operator's population import: an uploaded 住民基本台帳に基づく人口 table is read and checked
// (preview: bad rows listed, nothing written), its rows wait in the core database, and the
// operator's confirmation writes them all in one transaction (a batch) or none.
import { and, desc, count, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { newId } from '@mamori/db';
import { municipalities, municipalityPopulations, populationImports } from '@mamori/db/core';
import type { CoreContext } from '../context.ts';
import { invalid, parseInput, zodMessage } from '../errors.ts';
import { findReferenceDate } from './dates.ts';
import { readPopulationTable, type PopulationTable } from './layout.ts';
import { readSpreadsheet } from '../sheets/read.ts';
import { uploadedFile, type UploadRule } from '../domain/fields.ts';

export const RESIDENT_REGISTRY = '住民基本台帳人口';
export const DEFAULT_SOURCE = '総務省「住民基本台帳に基づく人口、人口動態及び世帯数」';

/** Larger than any year's table as published (about 0.5 MB), small enough for a Worker's memory. */
export const POPULATION_UPLOAD: UploadRule = {
	maxBytes: 5 * 1024 * 1024,
	maxLabel: '5 MB',
	missingKey: 'population_file_missing',
	tooLargeKey: 'population_file_too_large'
};
const POPULATION_FILE = { xls: 'population_file_xls', unreadable: 'population_file_unreadable' };

/** How long a previewed table waits for the operator's confirmation. */
const PENDING_MS = 60 * 60 * 1000;
/** Rows per INSERT: 7 parameters each, well under SQLite's limit on bound parameters. */
const ROWS_PER_INSERT = 250;

const trimmed = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim() : v);

const previewInput = z.object({
	file: uploadedFile(POPULATION_UPLOAD),
	referenceDate: z.preprocess(
		trimmed,
		z
			.string()
			.max(40, {
				error: zodMessage('validation_too_long', { field: { key: 'populations_reference_date' }, max: 40 })
			})
			.optional()
			.default('')
	),
	source: z.preprocess(
		trimmed,
		z
			.string()
			.max(200, { error: zodMessage('validation_too_long', { field: { key: 'population_source' }, max: 200 }) })
			.optional()
			.transform((s) => s || DEFAULT_SOURCE)
	)
});
const confirmInput = z.object({ importId: z.string().min(1).max(64) });

export type PopulationPreview =
	| {
			status: 'problems';
			fileName: string;
			referenceDate: string;
			problems: PopulationTable['problems'];
			rowCount: number;
	  }
	| {
			status: 'ready';
			importId: string;
			fileName: string;
			referenceDate: string;
			source: string;
			rowCount: number;
			/** Municipalities that already have a figure for this date: confirming replaces them. */
			replacing: number;
			skipped: PopulationTable['skipped'];
			missing: { code: string; name: string }[];
	  };

/** Reads the uploaded table and checks every row; stores it for confirmation only when no row is bad. */
export async function previewPopulationImport({
	ctx,
	input: raw
}: {
	ctx: CoreContext;
	input: unknown;
}): Promise<PopulationPreview> {
	ctx.authorize('operator.populations');
	const input = parseInput(previewInput, raw);
	const typedDate = input.referenceDate ? findReferenceDate(input.referenceDate) : null;
	if (input.referenceDate && !typedDate) throw invalid('referenceDate', 'population_date_invalid');
	const cells = await readSpreadsheet(new Uint8Array(await input.file.arrayBuffer()), POPULATION_FILE);
	const master = await ctx.core
		.select({ code: municipalities.code, name: municipalities.name, prefectureCode: municipalities.prefectureCode })
		.from(municipalities);
	const table = readPopulationTable(cells, master);
	if ('header' in table)
		throw invalid('file', table.missingColumn === 'code' ? 'population_file_no_header' : 'population_file_no_total');
	const referenceDate = typedDate ?? table.referenceDate;
	if (!referenceDate) throw invalid('referenceDate', 'population_date_missing');
	const fileName = input.file.name.slice(0, 200);
	if (table.problems.length > 0)
		return { status: 'problems', fileName, referenceDate, problems: table.problems, rowCount: table.rows.length };
	if (table.rows.length === 0) throw invalid('file', 'population_file_no_rows');

	const now = ctx.now();
	const importId = newId(now);
	const [, , [existing]] = await ctx.core.batch([
		// Previews nobody confirmed are dropped as new ones come.
		ctx.core
			.delete(populationImports)
			.where(and(eq(populationImports.status, 'pending'), lt(populationImports.expiresAt, new Date(now)))),
		ctx.core.insert(populationImports).values({
			id: importId,
			fileName,
			referenceDate,
			kind: RESIDENT_REGISTRY,
			source: input.source,
			rows: table.rows,
			createdBy: ctx.actor.id,
			createdAt: new Date(now),
			expiresAt: new Date(now + PENDING_MS)
		}),
		ctx.core
			.select({ n: count() })
			.from(municipalityPopulations)
			.where(eq(municipalityPopulations.referenceDate, referenceDate))
	]);
	return {
		status: 'ready',
		importId,
		fileName,
		referenceDate,
		source: input.source,
		rowCount: table.rows.length,
		replacing: existing?.n ?? 0,
		skipped: table.skipped,
		missing: table.missing.map(({ code, name }) => ({ code, name }))
	};
}

/** Writes a previewed table: every row in one transaction, and the import marked done in it. */
export async function confirmPopulationImport({ ctx, input: raw }: { ctx: CoreContext; input: unknown }) {
	ctx.authorize('operator.populations');
	const { importId } = parseInput(confirmInput, raw);
	const [pending] = await ctx.core.select().from(populationImports).where(eq(populationImports.id, importId));
	const result = (p: typeof pending & {}) => ({ imported: p.rows.length, referenceDate: p.referenceDate });
	if (!pending) throw invalid('form', 'population_import_expired');
	// A second submit of the same confirmation (a double click, a reload) finds it done.
	if (pending.status === 'imported') return result(pending);
	if (pending.expiresAt.getTime() < ctx.now()) throw invalid('form', 'population_import_expired');

	const excluded = (column: string) => sql.raw(`excluded.${column}`);
	const inserts = Array.from({ length: Math.ceil(pending.rows.length / ROWS_PER_INSERT) }, (_, i) =>
		ctx.core
			.insert(municipalityPopulations)
			.values(
				pending.rows.slice(i * ROWS_PER_INSERT, (i + 1) * ROWS_PER_INSERT).map(([code, population]) => ({
					municipalityCode: code,
					referenceDate: pending.referenceDate,
					population,
					kind: pending.kind,
					source: pending.source,
					note: null,
					importId
				}))
			)
			.onConflictDoUpdate({
				target: [municipalityPopulations.municipalityCode, municipalityPopulations.referenceDate],
				set: {
					population: excluded('population'),
					kind: excluded('kind'),
					source: excluded('source'),
					note: excluded('note'),
					importId: excluded('import_id')
				}
			})
	);
	await ctx.core.batch([
		ctx.core
			.update(populationImports)
			.set({ status: 'imported', importedAt: new Date(ctx.now()) })
			.where(eq(populationImports.id, importId)),
		...inserts
	]);
	return result(pending);
}

/** The populations held, one line per reference date and source, newest first. */
export async function listPopulationDates({ ctx }: { ctx: CoreContext }) {
	ctx.authorize('operator.console');
	return ctx.core
		.select({
			referenceDate: municipalityPopulations.referenceDate,
			kind: municipalityPopulations.kind,
			source: municipalityPopulations.source,
			note: municipalityPopulations.note,
			municipalities: count()
		})
		.from(municipalityPopulations)
		.groupBy(
			municipalityPopulations.referenceDate,
			municipalityPopulations.kind,
			municipalityPopulations.source,
			municipalityPopulations.note
		)
		.orderBy(desc(municipalityPopulations.referenceDate));
}
