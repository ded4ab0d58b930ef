// The city's plan in a spreadsheet: the template (XLSX, or one CSV per sheet) prefilled with the
// plan as it is, and the import of an edited one. Preview writes nothing; confirming writes every
// change or none, in one batch with its history rows.
//
// Between preview and confirm nothing is kept on the server: the preview answers the sheet's
// cells (`payload`) and a digest of the change it proposes (the ids and versions it read, the
// values it writes). Confirming sends both back; the payload is checked from scratch, exactly as
// an upload (it is no more trusted than one), and if the change it proposes now differs from the
// one previewed (someone edited the plan meanwhile) it is refused as a conflict, to be previewed
// again. The version guards then refuse a change made between that check and the batch.
import { z } from 'zod';
import type { TenantContext, VerbArgs } from '../context.ts';
import { isVersionConflict } from '../context.ts';
import type { UploadRule } from '../domain/fields.ts';
import { uploadedFile } from '../domain/fields.ts';
import { ConflictError, invalid, parseInput } from '../errors.ts';
import { runBatch } from '../plan/versioned.ts';
import { readWorkbook, type Cell, type SheetRows } from '../sheets/read.ts';
import { csvText, xlsxBytes } from '../sheets/write.ts';
import { readPlanSheets, type SheetKind } from './layout.ts';
import { propose, type RowChange } from './proposal.ts';
import { planSheets, readPlanState } from './state.ts';

/** Far above a city's plan (小金井市's is about 60 KB as XLSX), small enough for a Worker's memory. */
export const PLAN_SHEET_UPLOAD: UploadRule = {
	maxBytes: 2 * 1024 * 1024,
	maxLabel: '2 MB',
	missingKey: 'sheet_file_missing',
	tooLargeKey: 'sheet_file_too_large'
};
const SHEET_FILE = { xls: 'sheet_file_xls', unreadable: 'sheet_file_unreadable' };
/** Cells kept per sheet: beyond, the sheet is not a plan's (and would not fit a form). */
const MAX_ROWS = 5_000;
const MAX_CELL = 20_000;

const cell = z.union([z.string().max(MAX_CELL), z.number(), z.null()]);
const payloadSchema = z.array(
	z.object({ name: z.string().max(100).nullable(), rows: z.array(z.array(cell).max(50)).max(MAX_ROWS) })
);
const previewInput = z.object({ file: uploadedFile(PLAN_SHEET_UPLOAD) });
const confirmInput = z.object({ payload: z.string().min(2), digest: z.string().regex(/^[0-9a-f]{64}$/) });

export type TemplateFormat = 'xlsx' | SheetKind;

/** The template for this city, prefilled: an XLSX workbook of both sheets, or one sheet as CSV. */
export async function planTemplate({ ctx, format }: { ctx: TenantContext; format: TemplateFormat }) {
	ctx.authorize('plan.read');
	const sheets = planSheets(await readPlanState(ctx));
	if (format === 'xlsx') return { bytes: await xlsxBytes(sheets), type: 'xlsx' as const };
	return { text: csvText(sheets[format === 'initiatives' ? 0 : 1]!.rows), type: 'csv' as const };
}

export type PlanImportPreview =
	| { status: 'problems'; problems: ReturnType<typeof readPlanSheets>['problems'] }
	| {
			status: 'ready';
			changes: RowChange[];
			unchanged: { initiatives: number; records: number };
			payload: string;
			digest: string;
	  };

/** Cells as strings and numbers only, at most MAX_ROWS rows a sheet, so the payload is what the check saw. */
function bounded(sheets: SheetRows[]): SheetRows[] {
	return sheets.map((s) => ({
		name: s.name?.slice(0, 100) ?? null,
		rows: s.rows
			.slice(0, MAX_ROWS)
			.map((r) =>
				r
					.slice(0, 50)
					.map((c): Cell =>
						typeof c === 'string'
							? c.slice(0, MAX_CELL)
							: typeof c === 'number' && Number.isFinite(c)
								? c
								: c === null
									? null
									: String(c)
					)
			)
	}));
}

async function sha256(text: string): Promise<string> {
	const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function check(ctx: TenantContext, sheets: SheetRows[]) {
	ctx.authorize('plan.read');
	const [state, { taxonomyCodes }] = await Promise.all([readPlanState(ctx), ctx.shared()]);
	const proposal = propose(ctx, readPlanSheets(sheets), state, taxonomyCodes);
	const payload = JSON.stringify(sheets);
	return { proposal, payload, digest: await sha256(JSON.stringify([payload, proposal.basis])) };
}

/** Reads the uploaded sheet and checks every row; writes nothing. */
export async function previewPlanImport({ ctx, input: raw }: VerbArgs): Promise<PlanImportPreview> {
	// A sheet may add initiatives and move them in the tree: it is the whole plan's, not a
	// department-limited editor's to import. Each row is still authorised as on its own form (propose).
	ctx.authorize('plan.edit');
	const input = parseInput(previewInput, raw);
	const sheets = bounded(await readWorkbook(new Uint8Array(await input.file.arrayBuffer()), SHEET_FILE));
	const { proposal, payload, digest } = await check(ctx, sheets);
	if (proposal.problems.length > 0) return { status: 'problems', problems: proposal.problems };
	return { status: 'ready', changes: proposal.changes, unchanged: proposal.unchanged, payload, digest };
}

/** Writes a previewed sheet: every change in one batch with its history rows, or nothing. */
export async function confirmPlanImport({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.edit');
	const input = parseInput(confirmInput, raw);
	let sheets: SheetRows[];
	try {
		sheets = payloadSchema.parse(JSON.parse(input.payload));
	} catch {
		throw invalid('form', 'sheet_payload_invalid');
	}
	const { proposal, digest } = await check(ctx, sheets);
	if (proposal.problems.length > 0 || digest !== input.digest) throw new ConflictError(null);
	try {
		await runBatch(ctx, proposal.statements);
	} catch (error) {
		if (isVersionConflict(error)) throw new ConflictError(null);
		throw error;
	}
	return {
		added: proposal.changes.filter((c) => c.kind === 'add').length,
		changed: proposal.changes.filter((c) => c.kind === 'change').length
	};
}
