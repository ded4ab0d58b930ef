// Every route declares what it needs, beside its code, in an `_access` export:
//   +page.server.ts    export const _access = { load: 'plan.read', actions: { update: 'plan.edit' } } satisfies PageAccess<typeof actions>;
//   +layout.server.ts  export const _access = { load: 'plan.read' } satisfies LayoutAccess;
//   +server.ts         export const _access = { GET: 'public', POST: 'session' } satisfies EndpointAccess;
// handleAuth (handles.ts) reads the declaration of the matched route and asks the one authoriser;
// a route, action or method that declares nothing is refused (and a test fails: access.test.ts).
import type { Action } from '@mamori/services/auth';

type Declared<Actions> = { [K in keyof Actions]: Action };

export type PageAccess<Actions extends object = Record<never, never>> = keyof Actions extends never
	? { load: Action }
	: { load: Action; actions: Declared<Actions> };

export type LayoutAccess = { load: Action };

export type EndpointAccess = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS', Action>>;

type Module = { _access?: unknown };
type Loader = () => Promise<Module>;

// Lazy: a route's module is loaded when the route is first asked for (SvelteKit would load it then).
const pages = byRouteId(import.meta.glob<Module>('/src/routes/**/+page.server.ts'));
const layouts = byRouteId(import.meta.glob<Module>('/src/routes/**/+layout.server.ts'));
const endpoints = byRouteId(import.meta.glob<Module>('/src/routes/**/+server.ts'));

function byRouteId(modules: Record<string, Loader>): Map<string, Loader> {
	return new Map(
		Object.entries(modules).map(([file, load]) => [
			file.replace(/^\/src\/routes/, '').replace(/\/\+(page\.server|layout\.server|server)\.ts$/, '') || '/',
			load
		])
	);
}

/** '/[tenant=slug]/kpis' → ['/', '/[tenant=slug]', '/[tenant=slug]/kpis'] */
function ancestors(routeId: string): string[] {
	const parts = routeId.split('/').filter(Boolean);
	return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

/** The action SvelteKit will run for a POST: `?/name`, or `default`. */
export function actionName(url: URL): string {
	const named = [...url.searchParams.keys()].find((key) => key.startsWith('/'));
	return named ? named.slice(1) : 'default';
}

async function declared(loader: Loader | undefined): Promise<Record<string, unknown> | undefined> {
	const access = loader ? (await loader())._access : undefined;
	return access && typeof access === 'object' ? (access as Record<string, unknown>) : undefined;
}

const UNDECLARED = Symbol('undeclared');

/**
 * What a request needs, in order: the loads of every layout above the page, then the page's load
 * (GET) or the form action (POST). `undeclared` when something that would run declares nothing;
 * null when SvelteKit will answer by itself without running route code (e.g. 405).
 */
export async function requirements(
	routeId: string,
	request: { method: string; url: URL; acceptsHtml: boolean }
): Promise<Action[] | typeof UNDECLARED | null> {
	const method = request.method === 'HEAD' ? 'GET' : request.method;
	const endpoint = endpoints.get(routeId);
	const page = pages.get(routeId);
	const usesEndpoint = endpoint && (!page || method !== 'GET' || !request.acceptsHtml);
	if (usesEndpoint) {
		const access = await declared(endpoint);
		const needed = access?.[method];
		return typeof needed === 'string' ? [needed as Action] : UNDECLARED;
	}
	if (method !== 'GET' && method !== 'POST') return null;
	const needed: unknown[] = [];
	for (const id of ancestors(routeId)) {
		const layout = layouts.get(id);
		if (layout) needed.push((await declared(layout))?.load);
	}
	const access = await declared(page);
	if (method === 'GET') needed.push(access?.load);
	else needed.push((access?.actions as Record<string, unknown> | undefined)?.[actionName(request.url)]);
	return needed.every((n) => typeof n === 'string') ? (needed as Action[]) : UNDECLARED;
}

export function isUndeclared(value: unknown): value is typeof UNDECLARED {
	return value === UNDECLARED;
}
