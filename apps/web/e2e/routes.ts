// Every route of the web app, read from the files in apps/web/src/routes (TypeScript's parser, no
// SvelteKit needed): what runs there (load, form actions, endpoint methods) and what each
// declares it needs in its `_access` export. Used by the declaration test (node project) and, in
// the isolation test, to check that the crawls reached every route (browser project).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const routesDir = fileURLToPath(new URL('../src/routes', import.meta.url));

export interface ServerModule {
	file: string;
	/** Names of what runs: 'load', action names, or HTTP methods. */
	runs: string[];
	/** The `_access` declaration as written (string values only), or null when absent. */
	access: { load?: string; actions?: Record<string, string>; [method: string]: unknown } | null;
	/** Action names exported in `actions` (pages only). */
	actions: string[];
}

export interface RouteEntry {
	/** The SvelteKit route id, e.g. /[tenant=slug]/kpis/[id=id] */
	id: string;
	hasPage: boolean;
	page: ServerModule | null;
	layout: ServerModule | null;
	endpoint: ServerModule | null;
}

function objectLiteral(node: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
	let e = node;
	while (e && (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e)))
		e = e.expression;
	return e && ts.isObjectLiteralExpression(e) ? e : undefined;
}

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
	const name = p.name;
	if (!name) return undefined;
	if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
	return undefined;
}

function readAccess(obj: ts.ObjectLiteralExpression): ServerModule['access'] {
	const out: Record<string, unknown> = {};
	for (const p of obj.properties) {
		const key = propertyName(p);
		if (!key || !ts.isPropertyAssignment(p)) continue;
		if (ts.isStringLiteral(p.initializer)) out[key] = p.initializer.text;
		const nested = objectLiteral(p.initializer);
		if (nested)
			out[key] = Object.fromEntries(
				nested.properties.flatMap((q) =>
					ts.isPropertyAssignment(q) && ts.isStringLiteral(q.initializer) && propertyName(q)
						? [[propertyName(q)!, q.initializer.text]]
						: []
				)
			);
	}
	return out;
}

export function readServerModule(file: string): ServerModule {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const exported = new Map<string, ts.Expression | undefined>();
	for (const statement of source.statements) {
		const isExported = ts.canHaveModifiers(statement)
			? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
			: false;
		if (!isExported) continue;
		if (ts.isVariableStatement(statement))
			for (const d of statement.declarationList.declarations)
				if (ts.isIdentifier(d.name)) exported.set(d.name.text, d.initializer);
		if (ts.isFunctionDeclaration(statement) && statement.name) exported.set(statement.name.text, undefined);
	}
	const accessObject = objectLiteral(exported.get('_access'));
	const actionsObject = objectLiteral(exported.get('actions'));
	const actions = actionsObject ? actionsObject.properties.map(propertyName).filter((n): n is string => !!n) : [];
	const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback'].filter((m) =>
		exported.has(m)
	);
	return {
		file,
		runs: [...(exported.has('load') ? ['load'] : []), ...actions, ...methods],
		access: accessObject ? readAccess(accessObject) : null,
		actions
	};
}

export function listRoutes(dir: string = routesDir): RouteEntry[] {
	const out: RouteEntry[] = [];
	const walk = (folder: string) => {
		const files = readdirSync(folder);
		const id = `/${relative(dir, folder).split(sep).filter(Boolean).join('/')}`;
		const at = (name: string) => (files.includes(name) ? readServerModule(join(folder, name)) : null);
		const entry: RouteEntry = {
			id,
			hasPage: files.some((f) => /^\+page(@.*)?\.svelte$/.test(f)),
			page: at('+page.server.ts'),
			layout: at('+layout.server.ts'),
			endpoint: at('+server.ts')
		};
		if (entry.hasPage || entry.page || entry.layout || entry.endpoint) out.push(entry);
		for (const f of files) if (statSync(join(folder, f)).isDirectory()) walk(join(folder, f));
	};
	if (existsSync(dir)) walk(dir);
	return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** '/(auth)/login' → '/login': the URL path of a route id, groups removed. */
export function urlPattern(id: string): string {
	return id.replace(/\/\([^)]+\)/g, '') || '/';
}

/** What the route's GET needs: its layouts' and its page's load declarations. */
export function loadNeeds(route: RouteEntry, all: RouteEntry[]): string[] {
	const parts = route.id.split('/').filter(Boolean);
	const ancestors = ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
	const layouts = ancestors.flatMap((id) => {
		const layout = all.find((r) => r.id === id)?.layout;
		return layout?.access?.load ? [layout.access.load] : [];
	});
	return [...layouts, ...(route.page?.access?.load ? [route.page.access.load] : [])];
}
