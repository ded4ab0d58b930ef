// JSON or CSV for the public lists: `?format=csv`, or `Accept: text/csv` without a format. CSV is
// UTF-8 with a byte-order mark and CRLF line ends (Japanese Excel then reads it as UTF-8, not as
// Shift_JIS), a header row, and text that would start a formula (= + - @) escaped with a quote:
// open data is opened in spreadsheets, and the text is what city staff typed.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { csvText, type CsvCell } from '@mamori/services/sheets';

export const formatQuery = z.object({
	format: z
		.enum(['json', 'csv'])
		.optional()
		.openapi({ description: 'csv: the same rows as CSV (UTF-8 with a BOM); else Accept: text/csv asks for it' })
});

/** The query of a list that answers CSV too: its own fields and `format`. */
export const withFormat = <T extends z.ZodRawShape>(query: z.ZodObject<T>) => query.extend(formatQuery.shape);

export function wantsCsv(c: Context): boolean {
	const format = c.req.query('format');
	if (format) return format === 'csv';
	const accept = c.req.header('accept') ?? '';
	return /(^|,)\s*text\/csv/i.test(accept) && !/(^|,)\s*application\/json/i.test(accept);
}

/** A CSV answer, named for a download (`<name>.csv`). */
export type { CsvCell };

export function csvResponse(
	c: Context,
	name: string,
	header: string[],
	rows: CsvCell[][],
	headers: Record<string, string> = {}
) {
	return c.body(csvText([header, ...rows], { escapeFormulae: true }), 200, {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${name}.csv"`,
		vary: 'accept',
		...headers
	});
}

/** The 200 answer of a list: JSON (`data`) or CSV. */
export const jsonOrCsv = <T extends z.ZodType>(description: string, data: T) => ({
	description,
	content: {
		'application/json': { schema: z.object({ data }) },
		'text/csv': { schema: z.string().openapi({ description: 'UTF-8 with a BOM, CRLF, a header row' }) }
	}
});

/** The 200 answer of a JSON-only read. */
export const jsonOnly = <T extends z.ZodType>(description: string, data: T) => ({
	description,
	content: { 'application/json': { schema: z.object({ data }) } }
});
