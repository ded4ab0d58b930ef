// Fails when a route, form action or endpoint method declares nothing (or something unknown):
// handleAuth would refuse it at run time, and this says so before it ships.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAction } from '@mamori/services/auth';
import { describe, expect, it } from 'vitest';
import { listRoutes, type RouteEntry } from '../../../e2e/routes.ts';

/** Everything a route runs that has no valid declaration. */
function undeclared(routes: RouteEntry[]): string[] {
	const problems: string[] = [];
	const check = (where: string, value: unknown) => {
		if (!isAction(value))
			problems.push(`${where}: ${value === undefined ? 'declares nothing' : `unknown ${JSON.stringify(value)}`}`);
	};
	for (const route of routes) {
		if (route.hasPage && !route.page) problems.push(`${route.id}: page without +page.server.ts declaring _access`);
		if (route.page) {
			check(`${route.id} load`, route.page.access?.load);
			const declaredActions = Object.keys(route.page.access?.actions ?? {});
			for (const action of route.page.actions)
				check(`${route.id} action ${action}`, route.page.access?.actions?.[action]);
			for (const extra of declaredActions.filter((a) => !route.page!.actions.includes(a)))
				problems.push(`${route.id}: _access names an action that does not exist: ${extra}`);
		}
		if (route.layout) check(`${route.id} layout load`, route.layout.access?.load);
		if (route.endpoint)
			for (const method of route.endpoint.runs) check(`${route.id} ${method}`, route.endpoint.access?.[method]);
	}
	return problems;
}

describe('every route, form action and endpoint declares what it needs', () => {
	it('in apps/web/src/routes', () => {
		const routes = listRoutes();
		const problems = undeclared(routes);
		const counted = {
			routes: routes.length,
			loads: routes.filter((r) => r.page).length + routes.filter((r) => r.layout).length,
			actions: routes.reduce((n, r) => n + (r.page?.actions.length ?? 0), 0),
			endpoints: routes.reduce((n, r) => n + (r.endpoint?.runs.length ?? 0), 0)
		};
		console.log(
			`access declarations: ${counted.routes} routes, ${counted.loads} loads, ${counted.actions} form actions, ${counted.endpoints} endpoint methods`
		);
		expect(problems).toEqual([]);
		expect(counted.actions).toBeGreaterThan(20);
	});

	it('the check itself catches a route, an action and an endpoint that declare nothing', () => {
		const dir = mkdtempSync(join(tmpdir(), 'mamori-routes-'));
		mkdirSync(join(dir, 'a'));
		writeFileSync(join(dir, 'a/+page.svelte'), '<p>a</p>');
		writeFileSync(
			join(dir, 'a/+page.server.ts'),
			`export const _access = { load: 'plan.read', actions: { save: 'plan.edit' } } satisfies PageAccess<typeof actions>;
			 export const load = () => ({});
			 export const actions = { save: async () => ({}), remove: async () => ({}) };`
		);
		mkdirSync(join(dir, 'b'));
		writeFileSync(join(dir, 'b/+page.svelte'), '<p>b</p>');
		mkdirSync(join(dir, 'c'));
		writeFileSync(
			join(dir, 'c/+server.ts'),
			`export const _access = { GET: 'public' };\nexport function GET() {}\nexport const POST = () => {};`
		);
		mkdirSync(join(dir, 'd'));
		writeFileSync(
			join(dir, 'd/+page.server.ts'),
			`export const _access = { load: 'everyone' };\nexport const load = () => ({});`
		);
		expect(undeclared(listRoutes(dir))).toEqual([
			'/a action remove: declares nothing',
			'/b: page without +page.server.ts declaring _access',
			'/c POST: declares nothing',
			'/d load: unknown "everyone"'
		]);
	});
});
