// Every route, form action and endpoint of the web app, probed against the running stack as a
// user of another city, as a prefectural official (of 目黒区's own prefecture) and anonymously:
// each is refused with 403 or 404, reads and writes alike, and nothing is written.
import { openTenant } from '@mamori/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, postForm, signInCookie } from './http.ts';
import { listRoutes, loadNeeds, urlPattern, type RouteEntry } from './routes.ts';

const TENANT_ACTIONS = ['plan.read', 'plan.edit', 'plan.publish', 'members.manage'];
const OPERATOR_ACTIONS = ['operator.console', 'operator.tenants'];

type Actor = 'another city (admin@koganei)' | 'official of 東京都' | 'anonymous' | 'admin@meguro' | 'operator';
const emails: Record<Exclude<Actor, 'anonymous'>, string> = {
	'another city (admin@koganei)': 'admin@koganei.example',
	'official of 東京都': 'official@tokyo.example',
	'admin@meguro': 'admin@meguro.example',
	operator: 'operator@mamori.example'
};

describe('isolation: every route, action and endpoint refuses those who may not (running stack)', () => {
	const appUrl = inject('appUrl');
	const meguroDb = openTenant({ url: `${inject('sqldHttpUrl')}/dev/tenant-meguro/` });
	const cookies: Partial<Record<Actor, string>> = {};
	const ids: Record<string, string> = {};
	const counts = async () =>
		Object.fromEntries(
			await Promise.all(
				[
					'audit_log',
					'departments',
					'initiatives',
					'indicators',
					'indicator_values',
					'plan_nodes',
					'yearly_records'
				].map(async (table) => [
					table,
					Number((await meguroDb.$client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
				])
			)
		);
	let before: Record<string, number>;

	beforeAll(async () => {
		for (const [actor, email] of Object.entries(emails)) cookies[actor as Actor] = await signInCookie(appUrl, email);
		const first = async (table: string) =>
			String((await meguroDb.$client.execute(`SELECT id FROM ${table} ORDER BY id LIMIT 1`)).rows[0]!.id);
		ids.initiatives = await first('initiatives');
		ids.kpis = await first('indicators');
		ids.nodes = await first('plan_nodes');
		before = await counts();
	});
	afterAll(() => meguroDb.$client.close());

	/** A concrete URL for a route id, about 目黒区 and its real rows. */
	function pathOf(route: RouteEntry): string {
		const segments = urlPattern(route.id).split('/');
		return segments
			.map((segment, i) => {
				if (segment === '[tenant=slug]') return 'meguro';
				if (segment === '[id=id]') {
					const id = ids[segments[i - 1]!];
					if (!id) throw new Error(`no id for ${route.id}: teach the probe this route`);
					return id;
				}
				if (segment === '[token=token]') return `${'a'.repeat(24)}.${'b'.repeat(24)}`;
				if (segment === '[view]') return 'indicator';
				if (segment.startsWith('[')) throw new Error(`unknown parameter in ${route.id}: teach the probe this route`);
				return segment;
			})
			.join('/');
	}

	/** Who must be refused, and who must get in (so that a refusal is not a broken URL). */
	function plan(needs: string[]): { refused: Actor[]; allowed: Actor } | null {
		if (needs.some((n) => TENANT_ACTIONS.includes(n)))
			return { refused: ['another city (admin@koganei)', 'official of 東京都', 'anonymous'], allowed: 'admin@meguro' };
		if (needs.some((n) => OPERATOR_ACTIONS.includes(n)))
			return { refused: ['admin@meguro', 'official of 東京都', 'anonymous'], allowed: 'operator' };
		if (needs.includes('session')) return { refused: ['anonymous'], allowed: 'official of 東京都' };
		return null; // public
	}

	it('probes them all and reports how many', async () => {
		const routes = listRoutes();
		const report = { routes: 0, public: [] as string[], requests: 0, refusals: 0 };
		const failures: string[] = [];
		const expectRefused = (what: string, status: number) => {
			report.requests++;
			if (status === 403 || status === 404) report.refusals++;
			else failures.push(`${what}: ${status}`);
		};

		for (const route of routes) {
			const path = pathOf(route);
			if (route.page || route.hasPage) {
				const pagePlan = plan(loadNeeds(route, routes));
				const actionNeeds = Object.entries(route.page?.access?.actions ?? {});
				if (!pagePlan && actionNeeds.every(([, need]) => need === 'public')) {
					report.public.push(urlPattern(route.id));
					continue;
				}
				report.routes++;
				if (pagePlan) {
					const control = await get(appUrl, path, cookies[pagePlan.allowed]);
					expect(control.status, `${path} as ${pagePlan.allowed}`).toBe(200);
					for (const actor of pagePlan.refused) {
						expectRefused(`GET ${path} as ${actor}`, (await get(appUrl, path, cookies[actor])).status);
						const data = await get(appUrl, `${path === '/' ? '' : path}/__data.json`, cookies[actor]);
						expectRefused(`GET ${path}/__data.json as ${actor}`, data.status);
					}
				}
				for (const [action, need] of actionNeeds) {
					const actionPlan = plan([...loadNeeds(route, routes).filter((n) => n !== 'public'), need]);
					if (!actionPlan) continue;
					const target = `${path}?/${action}`;
					const fields = { id: ids.initiatives!, version: '1', name: 'probe', title: 'probe', email: 'x@y.example' };
					for (const actor of actionPlan.refused) {
						expectRefused(
							`POST ${target} as ${actor}`,
							(await postForm(appUrl, target, fields, { cookie: cookies[actor] })).status
						);
						const enhanced = await postForm(appUrl, target, fields, { cookie: cookies[actor], enhanced: true });
						expectRefused(`POST ${target} (enhanced) as ${actor}`, enhanced.status);
					}
				}
			}
			if (route.endpoint) {
				report.routes++;
				for (const method of route.endpoint.runs) {
					const need = route.endpoint.access?.[method];
					const endpointPlan = plan(typeof need === 'string' ? [need] : []);
					if (!endpointPlan) continue;
					for (const actor of endpointPlan.refused) {
						const response = await fetch(`${appUrl}${path}`, {
							method,
							redirect: 'manual',
							headers: { origin: appUrl, ...(cookies[actor] ? { cookie: cookies[actor] } : {}) }
						});
						expectRefused(`${method} ${path} as ${actor}`, response.status);
					}
				}
			}
		}

		console.log(
			`isolation probes: ${report.routes} routes probed with ${report.requests} requests, ${report.refusals} refused (403/404); ` +
				`public, not probed: ${report.public.join(', ')}`
		);
		expect(failures).toEqual([]);
		expect(report.routes).toBeGreaterThanOrEqual(10);
		// Nothing any of those requests tried to write was written.
		expect(await counts()).toEqual(before);
	});
});
