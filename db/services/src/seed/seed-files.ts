// Reads seed files and reports a problem as "file:line: path: message".
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';

export class SeedError extends Error {
	override readonly name = 'SeedError';
}

export interface SeedProblem {
	path: (string | number)[];
	message: string;
}

/**
 * Parses and validates a YAML seed file. `check` adds problems the schema cannot see (e.g. a
 * taxonomy code that does not exist); all problems are reported with their line.
 */
export function readYaml<T extends z.ZodType>(
	file: string,
	schema: T,
	check?: (data: z.output<T>) => SeedProblem[]
): z.output<T> {
	const source = readFileSync(file, 'utf8');
	const lineCounter = new LineCounter();
	const doc = parseDocument(source, { lineCounter, prettyErrors: false });
	if (doc.errors.length > 0) {
		const e = doc.errors[0]!;
		const line = lineCounter.linePos(e.pos[0]).line;
		throw new SeedError(`${basename(file)}:${line}: YAML: ${e.message}`);
	}
	const parsed = schema.safeParse(doc.toJS());
	const issues: SeedProblem[] = parsed.success
		? (check?.(parsed.data) ?? [])
		: parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
	if (parsed.success && issues.length === 0) return parsed.data;
	const problems = issues.slice(0, 10).map((issue) => {
		// Walk up the path until a node with a position is found (a missing key has none).
		let line = 0;
		for (let n = issue.path.length; n >= 0 && !line; n--) {
			const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
			if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
		}
		return `${basename(file)}:${line}: ${issue.path.join('.') || '(root)'}: ${issue.message}`;
	});
	if (issues.length > 10) problems.push(`… and ${issues.length - 10} more`);
	throw new SeedError(problems.join('\n'));
}

/** RFC 4180 CSV with a header row; returns one object per row. */
export function readCsv(file: string): Record<string, string>[] {
	const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		row.push(field);
		field = '';
	};
	const endRow = () => {
		endField();
		rows.push(row);
		row = [];
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') endField();
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRow();
		} else field += c;
	}
	if (field !== '' || row.length > 0) endRow();
	const [header, ...body] = rows;
	if (!header) throw new SeedError(`${basename(file)}: empty file`);
	return body
		.filter((r) => r.length > 1 || r[0] !== '')
		.map((r, index) => {
			if (r.length !== header.length)
				throw new SeedError(`${basename(file)}:${index + 2}: expected ${header.length} fields, found ${r.length}`);
			return Object.fromEntries(header.map((h, i) => [h, r[i]!]));
		});
}
