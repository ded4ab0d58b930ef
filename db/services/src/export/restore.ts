// An operator restores a city's export (JSON or SQLite) into a new tenant: the new city's slug and
// municipality are chosen as when subscribing a city (tenants/operator.ts), its database is
// created and migrated, every row of the file is written as it was (ids, versions and dates
// included), and the restore is recorded in the core database. The whole file is checked first
// (its syntax, the format and its version, every value, every reference between rows): a bad
// file is refused with a message that says where, and nothing is written anywhere.
import type { TenantDirectory } from '@mamori/db/directory';
import { desc, eq } from 'drizzle-orm';
import { municipalities, tenantRestores, tenants, users } from '@mamori/db/core';
import { newId } from '@mamori/db';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { uploadedFile, type UploadRule } from '../domain/fields.ts';
import { invalid, parseInput } from '../errors.ts';
import { checkNewTenant, inviteFirstAdmin, newTenantInput, provisionTenant } from '../tenants/operator.ts';
import {
	EXPORT_FORMAT,
	EXPORT_FORMAT_VERSION,
	exportDocument,
	primaryKeys,
	references,
	tableKeys,
	uniqueColumns,
	type ExportDocument
} from './format.ts';
import { firstJsonError, lineAndColumn } from './json-position.ts';
import { insertStatements, rowCount } from './rows.ts';
import { isSqliteFile, sqliteToDocument } from './sqlite.ts';

/**
 * The seed cities export to 0.3–0.6 MB of JSON; a city with ten years of records stays far below
 * this. The whole file is held in memory (a Worker has 128 MB) and written in one batch.
 */
export const RESTORE_UPLOAD: UploadRule = {
	maxBytes: 10 * 1024 * 1024,
	maxLabel: '10 MB',
	missingKey: 'restore_file_missing',
	tooLargeKey: 'restore_file_too_large'
};

const restoreInput = newTenantInput.extend({ file: uploadedFile(RESTORE_UPLOAD) });

type Path = readonly PropertyKey[];

/** A place in the document as its reader finds it: tables.initiatives[3].nodeId. */
function place(path: Path): string {
	return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function readJson(bytes: Uint8Array): unknown {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		throw invalid('file', 'restore_not_text');
	}
	try {
		return JSON.parse(text);
	} catch {
		const at = firstJsonError(text) ?? 0;
		throw invalid('file', 'restore_not_json', lineAndColumn(text, at));
	}
}

/** Whether the document has the value at `path` at all (zod does not say an absent key from a wrong one). */
function present(raw: unknown, path: Path): boolean {
	let at: unknown = raw;
	for (const key of path) {
		if (typeof at !== 'object' || at === null || !(key in at)) return false;
		at = (at as Record<PropertyKey, unknown>)[key];
	}
	return true;
}

function valueIssue(raw: unknown, issue: z.core.$ZodIssue) {
	const path = place(issue.path);
	if (issue.code === 'unrecognized_keys')
		return invalid('file', 'restore_value_unknown', { path: path || '/', keys: issue.keys.join(', ') });
	if (!present(raw, issue.path)) return invalid('file', 'restore_value_missing', { path });
	return invalid('file', 'restore_value_invalid', { path });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every key unique, every unique column unique, every reference pointing at a row of the file. */
function checkRows(document: ExportDocument) {
	for (const table of tableKeys) {
		const rows = document.tables[table];
		const keyed = [primaryKeys[table], ...uniqueColumns[table].map((c) => [c])];
		for (const columns of keyed) {
			const seen = new Set<string>();
			rows.forEach((row, i) => {
				const value = JSON.stringify(columns.map((c) => row[c]));
				if (seen.has(value))
					throw invalid('file', 'restore_duplicate', {
						path: place(['tables', table, i, columns.join('+')]),
						value: columns.map((c) => String(row[c])).join(', ')
					});
				seen.add(value);
			});
		}
	}
	for (const { table, column, target, targetColumn } of references) {
		const present = new Set(document.tables[target].map((row) => row[targetColumn]));
		document.tables[table].forEach((row, i) => {
			const value = row[column];
			if (value !== null && !present.has(value))
				throw invalid('file', 'restore_reference_broken', {
					path: place(['tables', table, i, column]),
					value: String(value),
					target: place(['tables', target])
				});
		});
	}
}

/** The export document an uploaded file holds, checked whole; refused with a located message for the file field. */
export async function readExportFile(
	bytes: Uint8Array
): Promise<{ document: ExportDocument; source: 'json' | 'sqlite' }> {
	const source = isSqliteFile(bytes) ? 'sqlite' : 'json';
	const raw = source === 'sqlite' ? await sqliteToDocument(bytes) : readJson(bytes);
	// The kind and version of the file first: a file of another kind is not a list of differences.
	if (!isRecord(raw) || raw.format !== EXPORT_FORMAT) throw invalid('file', 'restore_not_export');
	if (raw.formatVersion !== EXPORT_FORMAT_VERSION)
		throw invalid('file', 'restore_version_unsupported', {
			found: JSON.stringify(raw.formatVersion ?? null),
			supported: EXPORT_FORMAT_VERSION
		});
	const parsed = exportDocument.safeParse(raw);
	if (!parsed.success) throw valueIssue(raw, parsed.error.issues[0]!);
	const document = parsed.data as ExportDocument;
	checkRows(document);
	return { document, source };
}

async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function restoreTenant({
	ctx,
	directory,
	input: raw
}: {
	ctx: CoreContext;
	directory: TenantDirectory;
	input: unknown;
}) {
	ctx.authorize('operator.restore');
	const input = parseInput(restoreInput, raw);
	const bytes = new Uint8Array(await input.file.arrayBuffer());
	const { document, source } = await readExportFile(bytes);
	const municipality = await checkNewTenant(ctx, input);
	const rows = rowCount(document);
	const fileSha256 = await sha256(bytes);
	const { tenant } = await provisionTenant({
		ctx,
		directory,
		input,
		municipality,
		// One batch: the rows are all written, or none.
		fill: async (db) => void (await db.$client.batch(insertStatements(document), 'write')),
		alongside: (tenantId) => [
			ctx.core.insert(tenantRestores).values({
				id: newId(ctx.now()),
				tenantId,
				restoredBy: ctx.actor.id,
				restoredAt: new Date(ctx.now()),
				source,
				fileName: input.file.name.slice(0, 200),
				fileSha256,
				formatVersion: EXPORT_FORMAT_VERSION,
				rowCount: rows
			})
		]
	});
	const invitation = await inviteFirstAdmin(ctx, tenant.id, input.adminEmail);
	return { tenant, invitation, source, rows };
}

/** The restores made so far, newest first: which city each became, who made it, from what file. */
export async function listRestores({ ctx }: { ctx: CoreContext }) {
	ctx.authorize('operator.restore');
	return ctx.core
		.select({
			id: tenantRestores.id,
			restoredAt: tenantRestores.restoredAt,
			source: tenantRestores.source,
			fileName: tenantRestores.fileName,
			fileSha256: tenantRestores.fileSha256,
			rowCount: tenantRestores.rowCount,
			slug: tenants.slug,
			name: municipalities.name,
			restoredBy: users.email // the account, not a name the person chose
		})
		.from(tenantRestores)
		.innerJoin(tenants, eq(tenants.id, tenantRestores.tenantId))
		.innerJoin(municipalities, eq(municipalities.code, tenants.municipalityCode))
		.leftJoin(users, eq(users.id, tenantRestores.restoredBy))
		.orderBy(desc(tenantRestores.restoredAt))
		.limit(50);
}
