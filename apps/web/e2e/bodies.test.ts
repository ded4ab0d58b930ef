// What a user (or a stray client) can send never makes the app answer 500: an unknown or foreign
// id under a city's pages is the 404 page, and every form action, of a city and outside one
// (sign-in, password reset, invitation, account, operator), refuses a body it cannot take before
// parsing it: a file part (400), a broken multipart body (400), a field over the 1 MB limit (413,
// with Content-Length and streamed without it), a 50 MB sign-in body (413). Against the running
// stack, as 目黒区's admin and the operator.
import { openTenant } from '@mamori/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { get, signInCookie } from './http.ts';
import { linksAndForms } from './html.ts';
import { listRoutes, urlPattern } from './routes.ts';
import { appUrl, sqldHttpUrl } from './stack.ts';

const UNKNOWN_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('bodies and ids a user can send (running stack)', () => {
	const meguro = openTenant({ url: `${sqldHttpUrl}/dev/tenant-meguro/` });
	const others = ['koganei', 'tomakomai'].map((slug) => openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` }));
	let cookie: string;
	const ids: Record<string, string> = {};
	const foreign: Record<string, string> = {};
	const first = async (db: typeof meguro, table: string, live: boolean) =>
		(await db.$client.execute(`SELECT id FROM ${table} ${live ? 'WHERE deleted_at IS NULL' : ''} LIMIT 1`)).rows[0]
			?.id as string | undefined;

	beforeAll(async () => {
		cookie = await signInCookie(appUrl, 'admin@meguro.example');
		for (const [segment, table, live] of [
			['initiatives', 'initiatives', true],
			['kpis', 'indicators', true],
			['nodes', 'plan_nodes', true],
			['rounds', 'reporting_rounds', false],
			['tasks', 'round_tasks', false]
		] as const) {
			// 目黒区's own row, when it has one (its demo has no reporting round).
			const own = await first(meguro, table, live);
			if (own) ids[segment] = own;
			// Another city's row (小金井市 keeps no KPIs; 苫小牧市 does; 小金井市's demo opens a round).
			for (const other of others) foreign[segment] ??= (await first(other, table, live))!;
		}
	});

	/** The malformed bodies every form action is sent, with the status each must get. */
	const bodyShapes = (cookie: string | undefined): [string, number, () => RequestInit][] => {
		const big = 'x'.repeat(10 * 1024 * 1024);
		const headers = (extra: Record<string, string>) => ({
			origin: appUrl,
			accept: 'text/html',
			...(cookie ? { cookie } : {}),
			...extra
		});
		return [
			[
				'file part',
				400,
				() => {
					const form = new FormData();
					form.set('version', '1');
					form.set('title', new File(['not text'], 'plan.xlsx', { type: 'application/octet-stream' }));
					return { body: form, headers: headers({}) };
				}
			],
			[
				'bad multipart boundary',
				400,
				() => ({
					body: '--other\r\ncontent-disposition: form-data; name="title"\r\n\r\nx\r\n--other--\r\n',
					headers: headers({ 'content-type': 'multipart/form-data; boundary=expected' })
				})
			],
			[
				'10 MB field',
				413,
				() => ({
					body: new URLSearchParams({ title: big }).toString(),
					headers: headers({ 'content-type': 'application/x-www-form-urlencoded' })
				})
			],
			[
				'10 MB field without Content-Length',
				413,
				() => ({
					body: new Blob([`title=${big}`]).stream(),
					duplex: 'half',
					headers: headers({ 'content-type': 'application/x-www-form-urlencoded' })
				})
			]
		];
	};

	/** Every page of a city, with `[id]` filled by `id(segment)`. */
	const cityPages = (id: (segment: string) => string) =>
		listRoutes()
			.filter((r) => r.id.startsWith('/[tenant=slug]') && r.page)
			.map((r) => ({
				route: r,
				path: urlPattern(r.id)
					.replace('[tenant=slug]', 'meguro')
					.replace(/\/(\w+)\/\[id=id\]/, (_, segment: string) => `/${segment}/${id(segment)}`)
			}));

	it('an unknown or another city’s id under /{city}/initiatives/, /kpis/, /nodes/ is the 404 page', async () => {
		const pages = cityPages(() => UNKNOWN_ID).filter((p) => p.path.includes(UNKNOWN_ID));
		expect(pages.map((p) => p.path.split('/')[2]).sort()).toEqual(['initiatives', 'kpis', 'nodes', 'rounds', 'tasks']);
		for (const { path } of pages) {
			const segment = path.split('/')[2]!;
			expect((await get(appUrl, path, cookie)).status, path).toBe(404);
			const other = path.replace(UNKNOWN_ID, foreign[segment]!);
			expect((await get(appUrl, other, cookie)).status, other).toBe(404);
			if (!ids[segment]) continue;
			const own = path.replace(UNKNOWN_ID, ids[segment]);
			expect((await get(appUrl, own, cookie)).status, own).toBe(200);
		}
	});

	it('every form action refuses a file part, a broken multipart body and an oversized field; never 500', async () => {
		const actions = cityPages((segment) => ids[segment] ?? UNKNOWN_ID).flatMap(({ route, path }) =>
			route.page!.actions.map((action) => `${path}?/${action}`)
		);
		expect(actions.length).toBeGreaterThanOrEqual(20);
		const seen = await probe(actions, cookie);
		console.log(`malformed bodies: ${seen.length} requests, none 500`);
	}, 300_000); // hundreds of requests: room for a busy machine (nothing here is timed)

	it('every form action outside a city (sign-in, password reset, invitation, account, operator) refuses the same bodies, and a 50 MB sign-in body before parsing it', async () => {
		const token = `${'a'.repeat(24)}.${'b'.repeat(24)}`;
		const operator = await signInCookie(appUrl, 'operator@mamori.example');
		// Two actions read no body (signing out, ending one's other sessions): nothing to refuse.
		const readsNothing = new Set(['/(auth)/logout default', '/account revokeOthers']);
		const outside = listRoutes().flatMap((r) =>
			!r.id.startsWith('/[tenant=slug]') && r.page
				? r.page.actions
						.filter((action) => !readsNothing.has(`${r.id} ${action}`))
						.map((action) => {
							const path = urlPattern(r.id).replace('[token=token]', token);
							return {
								path: action === 'default' ? path : `${path}?/${action}`,
								owner: r.id.startsWith('/operator') ? operator : r.id.startsWith('/account') ? cookie : undefined
							};
						})
				: []
		);
		expect(outside.map((a) => a.path)).toEqual(
			expect.arrayContaining(['/login', '/reset-password', `/invite/${token}`])
		);
		const seen: string[] = [];
		for (const owner of new Set(outside.map((a) => a.owner)))
			seen.push(
				...(await probe(
					outside.filter((a) => a.owner === owner).map((a) => a.path),
					owner,
					// Streamed without Content-Length is the reader the city's forms already prove: once is enough.
					bodyShapes(owner).filter(([shape]) => !shape.includes('without Content-Length'))
				))
			);

		// 50 MB, as the review sent: refused from its Content-Length, never read into a form.
		const huge = await fetch(`${appUrl}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: `email=a%40b.example&password=${'x'.repeat(50 * 1024 * 1024)}`
		}).catch((e: unknown) => ({ status: `no answer (${String(e)})`, body: null }));
		await huge.body?.cancel();
		expect(huge.status, '50 MB sign-in body').toBe(413);
		console.log(
			`malformed bodies outside a city: ${seen.length + 1} requests to ${outside.length} actions, none parsed`
		);
	}, 180_000);

	/**
	 * Sends every shape to every action as `owner`; answers what each got. An upload form
	 * (multipart: an import's preview, and a confirm that carries the file on) answers an oversized
	 * body beside its file field (400, 「ファイルが大きすぎます」), as the person choosing a file
	 * needs; every other form answers 413.
	 */
	async function probe(actions: string[], owner: string | undefined, shapes = bodyShapes(owner)): Promise<string[]> {
		// Whether each action's form is an upload, as served; of a form shown only after a preview
		// (an import's confirm) it is not known: either refusal will do.
		const upload = new Map<string, boolean | undefined>();
		for (const path of new Set(actions.map((a) => a.split('?')[0]!))) {
			const url = new URL(path, appUrl);
			const forms = linksAndForms(await (await get(appUrl, path, owner)).text()).forms;
			const multipart = (form: (typeof forms)[number]) => form.enctype === 'multipart/form-data';
			for (const action of actions.filter((a) => a.split('?')[0] === path)) {
				const own = forms.filter((form) => {
					const target = new URL(form.action, url);
					return target.pathname + target.search === action;
				});
				upload.set(action, own.length > 0 ? own.some(multipart) : forms.some(multipart) ? undefined : false);
			}
		}
		const seen: string[] = [];
		for (const action of actions)
			for (const [shape, expected, init] of shapes) {
				const kind = upload.get(action);
				const statuses = expected !== 413 || kind === false ? [expected] : kind ? [400] : [400, 413];
				const response = await fetch(`${appUrl}${action}`, { method: 'POST', redirect: 'manual', ...init() }).catch(
					(e: unknown) => {
						throw new Error(`${action} ${shape}: ${String(e)} after ${seen.length} answers`, { cause: e });
					}
				);
				await response.body?.cancel();
				seen.push(`${action} ${shape}: ${response.status}`);
				expect(statuses, `${action} ${shape}: ${response.status}`).toContain(response.status);
			}
		return seen;
	}
});
