// A city admin's download of all of the city's data: the export document (format.ts) as JSON, or
// as an SQLite database file (sqlite.ts).
import type { Client } from '@libsql/client';
import type { VerbArgs } from '../context.ts';
import type { ExportDocument } from './format.ts';
import { readDocument } from './rows.ts';
import { documentToSqlite } from './sqlite.ts';

/** Every row of the city's database, read in one round trip (one consistent snapshot). */
export function readCity(client: Client): Promise<ExportDocument> {
	return readDocument(async (statements) => {
		const results = await client.batch(statements, 'read');
		return results.map((result) =>
			result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])))
		);
	});
}

/** The document as the file is written: the same data always gives the same text. */
export const exportText = (document: ExportDocument) => `${JSON.stringify(document, null, '\t')}\n`;

export async function exportCityJson({ ctx }: VerbArgs): Promise<string> {
	ctx.authorize('city.export');
	return exportText(await readCity(ctx.db.$client));
}

export async function exportCitySqlite({ ctx }: VerbArgs): Promise<Uint8Array> {
	ctx.authorize('city.export');
	return documentToSqlite(await readCity(ctx.db.$client));
}
