// A route never builds a database client and never imports drizzle: it calls a service, and the
// wiring of the platform's environment into databases lives in $lib/server (STYLE.md). This test
// reads every route file of the web app and of the API and fails on what would break that rule.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const routeDirs = ['apps/web/src/routes', 'workers/api/src/routes'];

/** Modules that hand out a database client, its schema, or the SQL builder. */
const FORBIDDEN_MODULES: { pattern: RegExp; why: string }[] = [
	{ pattern: /^drizzle-orm(\/|$)/, why: 'drizzle belongs to the databases package' },
	{ pattern: /^@libsql\/client(\/|$)/, why: 'a route never builds a database client' },
	{ pattern: /^@mamori\/db$/, why: 'the opener and the schemas: call a service instead' },
	{ pattern: /^@mamori\/db\/(core|tenant)(\/|$)/, why: 'a schema: call a service instead' },
	{ pattern: /^@mamori\/db\/directory(\/|$)/, why: 'the tenant directory is wired in $lib/server' },
	{ pattern: /^\$lib\/server\/db(\.ts|\.js)?$/, why: 'the database wiring is for $lib/server and hooks' }
];

/** Functions that open a database or a directory of databases. */
const FORBIDDEN_CALLS = new Set(['openCore', 'openTenant', 'coreDatabase', 'tenantDatabase', 'directoryFromEnv']);

export interface Violation {
	file: string;
	line: number;
	what: string;
}

/** The script blocks of a .svelte file, or the whole text of a .ts/.js file. */
function scripts(file: string, text: string): string[] {
	if (!file.endsWith('.svelte')) return [text];
	return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

/** What in `text` (the contents of `file`) opens a database or imports what does. */
export function violationsIn(file: string, text: string): Violation[] {
	const out: Violation[] = [];
	for (const script of scripts(file, text)) {
		const source = ts.createSourceFile(file, script, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
		const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
		const checkModule = (node: ts.Node, specifier: string) => {
			const rule = FORBIDDEN_MODULES.find((r) => r.pattern.test(specifier));
			if (rule) out.push({ file, line: lineOf(node), what: `imports '${specifier}' (${rule.why})` });
		};
		const visit = (node: ts.Node) => {
			if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
				if (ts.isStringLiteral(node.moduleSpecifier)) checkModule(node, node.moduleSpecifier.text);
			if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
				const e = node.moduleReference.expression;
				if (ts.isStringLiteral(e)) checkModule(node, e.text);
			}
			if (ts.isCallExpression(node)) {
				const [first] = node.arguments;
				const isLoader =
					node.expression.kind === ts.SyntaxKind.ImportKeyword ||
					(ts.isIdentifier(node.expression) && node.expression.text === 'require');
				if (isLoader && first && ts.isStringLiteralLike(first)) checkModule(node, first.text);
				const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
				if (ts.isIdentifier(callee) && FORBIDDEN_CALLS.has(callee.text))
					out.push({ file, line: lineOf(node), what: `calls ${callee.text}() (a route opens no database)` });
			}
			if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
				checkModule(node, node.argument.literal.text);
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return out;
}

function routeFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return routeFiles(path);
		return /\.(ts|js|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
	});
}

describe('route files reach databases only through services and $lib/server', () => {
	it('the scanner catches each forbidden import and call (so a clean run means something)', () => {
		const sample = [
			"import { eq } from 'drizzle-orm';",
			"import { sqliteTable } from 'drizzle-orm/sqlite-core';",
			"import { createClient } from '@libsql/client/web';",
			"import { openTenant } from '@mamori/db';",
			"import { tenants } from '@mamori/db/core';",
			"export { plans } from '@mamori/db/tenant';",
			"import { directoryFromEnv } from '@mamori/db/directory';",
			"import { coreDatabase } from '$lib/server/db';",
			"const lazy = await import('drizzle-orm');",
			'const db = openCore({ url });',
			'const t = db.openTenant({ url });',
			'coreDatabase(env); tenantDatabase(env, tenant); directoryFromEnv(env);',
			"import { listTaxonomy } from '@mamori/services';",
			"import { can } from '@mamori/services/auth';",
			"import { tenantContext } from '$lib/server/workspace';",
			'// openCore() in a comment is fine'
		].join('\n');
		const found = violationsIn('sample.ts', sample).map((v) => `${v.line}: ${v.what.split(' (')[0]}`);
		expect(found).toEqual([
			"1: imports 'drizzle-orm'",
			"2: imports 'drizzle-orm/sqlite-core'",
			"3: imports '@libsql/client/web'",
			"4: imports '@mamori/db'",
			"5: imports '@mamori/db/core'",
			"6: imports '@mamori/db/tenant'",
			"7: imports '@mamori/db/directory'",
			"8: imports '$lib/server/db'",
			"9: imports 'drizzle-orm'",
			'10: calls openCore()',
			'11: calls openTenant()',
			'12: calls coreDatabase()',
			'12: calls tenantDatabase()',
			'12: calls directoryFromEnv()'
		]);
		const svelte = `<script lang="ts">\n\timport { openTenant } from '@mamori/db';\n</script>\n<p>openTenant()</p>`;
		expect(violationsIn('Page.svelte', svelte).map((v) => v.what)).toEqual([
			"imports '@mamori/db' (the opener and the schemas: call a service instead)"
		]);
	});

	it('no route file of the web app or the API imports drizzle, a client or a schema, or opens a database', () => {
		const files = routeDirs.flatMap((dir) => routeFiles(join(repoRoot, dir)));
		expect(files.length).toBeGreaterThan(20);
		const violations = files.flatMap((file) =>
			violationsIn(file, readFileSync(file, 'utf8')).map((v) => `${relative(repoRoot, v.file)}:${v.line} ${v.what}`)
		);
		expect(violations).toEqual([]);
	});
});
