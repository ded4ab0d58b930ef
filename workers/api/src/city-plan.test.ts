// A city's plan through the API with its API tokens, inside workerd against a real sqld with the
// seed cities: every endpoint a city's token can reach (found in the app's routes, not listed by
// hand) answers each of the issue's cases — success, a validation error, no token, a token of
// another city (and that city's token with this city's ids under its own slug), a read-only
// token writing, a department-limited token outside its departments, a stale version (409), an
// oversize body (413) and a token over its rate (429) — and what a write was answered is what is
// stored.
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openCore, openTenant, type CoreDb, type TenantDb } from '@mamori/db';
import {
	auditLog,
	indicatorValues,
	initiativeDepartments,
	initiatives,
	metrics,
	yearlyRecords
} from '@mamori/db/tenant';
import {
	addYearlyRecord,
	coreContext,
	createKpi,
	readRequestContext,
	setKpiValue,
	tenantContext,
	type TenantContext
} from '@mamori/services';
import { createApiToken } from '@mamori/services/api-tokens';
import { signIn, validateSessionToken, type Principal } from '@mamori/services/auth';
import { app } from './app.ts';
import { declaredAccess } from './middleware/access.ts';
import { MAX_BODY_BYTES, RATE_PERIOD_SECONDS } from './middleware/limits.ts';
import type { Problem } from './problem.ts';

const bindings = () => ({ ...env, CORE_DATABASE_URL: inject('coreUrl') });
const SLUG = 'tomakomai';

/** What the cases act on, in 苫小牧市: items of department `inside`, and of others only. */
interface World {
	/** An initiative of the limited token's department, and one of other departments only. */
	initiative: { inside: string; outside: string };
	/** A record (with one metric) on each of them, and their versions now. */
	record: { inside: Versioned; outside: Versioned };
	metric: { inside: Versioned; outside: Versioned };
	kpi: string;
	/** The KPI's value of 2023 (fiscal year), as entered before the cases. */
	kpiValue: Versioned;
}
interface Versioned {
	id: string;
	version: number;
}

/** A request of a case: the path under /v1/cities/tomakomai and, for a write, its JSON body. */
interface Call {
	path: string;
	body?: unknown;
}

/**
 * Each endpoint of a city's plan, by method and route: a call that succeeds, one that does not
 * validate, one on an item outside the limited token's departments, and, when the endpoint takes
 * a version, the successful call's body, which is stale once it has succeeded.
 */
interface Sample {
	ok: (w: World) => Call;
	/** None for an endpoint that takes no input but the city. */
	invalid?: (w: World) => Call;
	outside: (w: World) => Call;
	/** The status of a successful call; 201 for what it creates. */
	status: 200 | 201;
	versioned?: boolean;
	/** Reads what the successful call stored (writes), to compare with its answer. */
	stored?: (db: TenantDb, w: World, answer: { data: Record<string, unknown> }) => Promise<void>;
}

const record = (text: string) => ({
	fiscalYear: '令和6',
	phase: 'actual',
	text,
	metrics: [{ label: '防犯教室の開催', value: '１２', unit: '回' }]
});
const tooLong = 'x'.repeat(65); // an id names nothing longer than 64 characters

const samples: Record<string, Sample> = {
	'GET /v1/cities/:slug/overview': {
		ok: () => ({ path: '/overview?q=防犯' }),
		outside: () => ({ path: '/overview' }),
		status: 200
	},
	'GET /v1/cities/:slug/history': {
		ok: (w) => ({ path: `/history?entity=initiative&entityId=${w.initiative.inside}` }),
		invalid: () => ({ path: '/history?limit=many' }),
		outside: () => ({ path: '/history' }),
		status: 200
	},
	'GET /v1/cities/:slug/initiatives/:initiativeId': {
		ok: (w) => ({ path: `/initiatives/${w.initiative.inside}` }),
		invalid: () => ({ path: `/initiatives/${tooLong}` }),
		outside: (w) => ({ path: `/initiatives/${w.initiative.outside}` }),
		status: 200
	},
	'GET /v1/cities/:slug/kpis': {
		ok: () => ({ path: '/kpis' }),
		outside: () => ({ path: '/kpis' }),
		status: 200
	},
	'GET /v1/cities/:slug/kpis/:kpiId': {
		ok: (w) => ({ path: `/kpis/${w.kpi}` }),
		invalid: () => ({ path: `/kpis/${tooLong}` }),
		outside: (w) => ({ path: `/kpis/${w.kpi}` }),
		status: 200
	},
	'POST /v1/cities/:slug/initiatives/:initiativeId/records': {
		ok: (w) => ({ path: `/initiatives/${w.initiative.inside}/records`, body: record('API から追加した実績') }),
		invalid: (w) => ({
			path: `/initiatives/${w.initiative.inside}/records`,
			body: { ...record('年度が読めない'), fiscalYear: 'いつか' }
		}),
		outside: (w) => ({ path: `/initiatives/${w.initiative.outside}/records`, body: record('他課の施策') }),
		status: 201,
		stored: async (db, _w, answer) => {
			const [row] = await db
				.select()
				.from(yearlyRecords)
				.where(eq(yearlyRecords.id, String(answer.data.id)));
			expect(row).toMatchObject({ fiscalYear: 2024, phase: 'actual', text: 'API から追加した実績' });
			const figures = await db.select().from(metrics).where(eq(metrics.recordId, row!.id));
			expect(figures.map((m) => [m.label, m.value, m.unit])).toEqual([['防犯教室の開催', 12, '回']]);
		}
	},
	'PUT /v1/cities/:slug/records/:recordId': {
		ok: (w) => ({
			path: `/records/${w.record.inside.id}`,
			body: { fiscalYear: 2024, phase: 'actual', text: 'API で訂正した実績', version: w.record.inside.version }
		}),
		invalid: (w) => ({
			path: `/records/${w.record.inside.id}`,
			body: { fiscalYear: 2024, phase: 'someday', text: '', version: w.record.inside.version }
		}),
		outside: (w) => ({
			path: `/records/${w.record.outside.id}`,
			body: { fiscalYear: 2024, phase: 'actual', text: '他課の記録', version: w.record.outside.version }
		}),
		status: 200,
		versioned: true,
		stored: async (db, w, answer) => {
			const [row] = await db.select().from(yearlyRecords).where(eq(yearlyRecords.id, w.record.inside.id));
			expect(row).toMatchObject({ text: 'API で訂正した実績', version: answer.data.version });
		}
	},
	'POST /v1/cities/:slug/records/:recordId/metrics': {
		ok: (w) => ({ path: `/records/${w.record.inside.id}/metrics`, body: { label: '参加者', value: 340, unit: '人' } }),
		invalid: (w) => ({
			path: `/records/${w.record.inside.id}/metrics`,
			body: { label: '参加者', value: -3, unit: '人' }
		}),
		outside: (w) => ({
			path: `/records/${w.record.outside.id}/metrics`,
			body: { label: '参加者', value: 1, unit: '人' }
		}),
		status: 201,
		stored: async (db, _w, answer) => {
			const [row] = await db
				.select()
				.from(metrics)
				.where(eq(metrics.id, String(answer.data.id)));
			expect(row).toMatchObject({ label: '参加者', value: 340, unit: '人', periodYear: 2024 });
		}
	},
	'PUT /v1/cities/:slug/metrics/:metricId': {
		ok: (w) => ({
			path: `/metrics/${w.metric.inside.id}`,
			body: { label: '防犯教室の開催', value: 15, unit: '回', version: w.metric.inside.version }
		}),
		invalid: (w) => ({
			path: `/metrics/${w.metric.inside.id}`,
			body: { label: '防犯教室の開催', value: 'たくさん', unit: '回', version: w.metric.inside.version }
		}),
		outside: (w) => ({
			path: `/metrics/${w.metric.outside.id}`,
			body: { label: '防犯教室の開催', value: 1, unit: '回', version: w.metric.outside.version }
		}),
		status: 200,
		versioned: true,
		stored: async (db, w, answer) => {
			const [row] = await db.select().from(metrics).where(eq(metrics.id, w.metric.inside.id));
			expect(row).toMatchObject({ value: 15, version: answer.data.version });
		}
	},
	'PUT /v1/cities/:slug/kpis/:kpiId/values': {
		ok: (w) => ({
			path: `/kpis/${w.kpi}/values`,
			body: { periodKind: 'fiscal_year', periodYear: 2023, value: 41, status: 'final', version: w.kpiValue.version }
		}),
		invalid: (w) => ({
			path: `/kpis/${w.kpi}/values`,
			body: { periodKind: 'fiscal_year', periodYear: 2023, value: 2.5, version: w.kpiValue.version } // 件: whole
		}),
		outside: (w) => ({
			path: `/kpis/${w.kpi}/values`,
			body: { periodKind: 'fiscal_year', periodYear: 2025, value: 1 }
		}),
		status: 200,
		versioned: true,
		stored: async (db, w) => {
			const [row] = await db.select().from(indicatorValues).where(eq(indicatorValues.id, w.kpiValue.id));
			expect(row).toMatchObject({ value: 41, version: w.kpiValue.version + 1 });
		}
	}
};

/** The endpoints a city's token may reach: those declaring a city's plan reading or editing. */
function cityEndpoints() {
	const found = new Map<string, string>();
	for (const route of app.routes) {
		const access = declaredAccess(route.handler);
		if (route.method === 'ALL' || !access) continue;
		if (access === 'plan.read' || access === 'plan.edit') found.set(`${route.method} ${route.path}`, access);
	}
	return found;
}

async function principalOf(core: CoreDb, email: string): Promise<Principal> {
	const result = await signIn({ core, input: { email, password: 'mamori-demo' } });
	if (!result.ok) throw new Error(`cannot sign in as ${email}`);
	return (await validateSessionToken({ core, token: result.token }))!.principal;
}

describe('a city’s plan with its API tokens (workerd)', () => {
	let core: CoreDb;
	let db: TenantDb;
	let admin: TenantContext;
	let world: World;
	/** The department the limited token is limited to. */
	let limitedTo: string[] = [];
	/** A city's token of the scope and departments asked for, as `Bearer …`. */
	let token: (scope: 'read' | 'write', options?: { slug?: string; departmentIds?: string[] }) => Promise<string>;

	beforeAll(async () => {
		core = openCore({ url: inject('coreUrl') });
		const contexts = new Map<string, TenantContext>();
		const admins = new Map<string, Principal>();
		const contextOf = async (slug: string, email: string) => {
			const { tenant: row } = await readRequestContext({ core, token: null, slug });
			const { databaseUrl, ...target } = row!;
			const ctx = tenantContext({
				db: openTenant({ url: databaseUrl }),
				core,
				tenant: target,
				principal: await principalOf(core, email)
			});
			contexts.set(slug, ctx);
			admins.set(slug, ctx.principal!);
			return ctx;
		};
		admin = await contextOf(SLUG, `admin@${SLUG}.example`);
		await contextOf('meguro', 'admin@meguro.example');
		db = admin.db;
		token = async (scope, { slug = SLUG, departmentIds } = {}) => {
			const { tenant: target, db: cityDb } = contexts.get(slug)!;
			const created = await createApiToken({
				ctx: { ...coreContext({ core, principal: admins.get(slug)! }), tenant: target, db: cityDb },
				input: { name: `test ${scope} ${crypto.randomUUID().slice(0, 8)}`, scope, lifetimeDays: 30, departmentIds }
			});
			return `Bearer ${created.token}`;
		};

		// Two initiatives: one of department `inside`, one of other departments only.
		const links = await db.select().from(initiativeDepartments);
		const byInitiative = Map.groupBy(links, (l) => l.initiativeId);
		const inside = links[0]!.departmentId;
		const of = (test: (ids: string[]) => boolean) =>
			[...byInitiative].find(([, ls]) => test(ls.map((l) => l.departmentId)))![0];
		const initiative = { inside: of((ids) => ids.includes(inside)), outside: of((ids) => !ids.includes(inside)) };
		const add = async (initiativeId: string) => {
			const { id } = await addYearlyRecord({ ctx: admin, input: { initiativeId, ...record('事前に入力した実績') } });
			const [m] = await db.select().from(metrics).where(eq(metrics.recordId, id));
			return { record: { id, version: 1 }, metric: { id: m!.id, version: m!.version } };
		};
		const [a, b] = [await add(initiative.inside), await add(initiative.outside)];
		// A KPI of the plan with a value entered for 2023.
		const { id: kpi } = await createKpi({
			ctx: admin,
			input: {
				nodeId: await nodeOf(db, initiative.inside),
				name: '刑法犯認知件数（API）',
				unit: '件',
				direction: 'lower'
			}
		});
		await setKpiValue({
			ctx: admin,
			input: { indicatorId: kpi, periodKind: 'fiscal_year', periodYear: 2023, value: 40 }
		});
		const [value] = await db.select().from(indicatorValues).where(eq(indicatorValues.indicatorId, kpi));
		world = {
			initiative,
			record: { inside: a.record, outside: b.record },
			metric: { inside: a.metric, outside: b.metric },
			kpi,
			kpiValue: { id: value!.id, version: value!.version }
		};
		limitedTo = [inside];
	});

	const call = (authorization: string | undefined, method: string, c: Call, raw?: string, slug = SLUG) =>
		app.request(
			`/v1/cities/${slug}${c.path}`,
			{
				method,
				headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
				...(raw !== undefined ? { body: raw } : c.body !== undefined ? { body: JSON.stringify(c.body) } : {})
			},
			bindings()
		);

	it('every endpoint a city’s token reaches has its cases here', () => {
		const endpoints = cityEndpoints();
		console.log(`City endpoints: ${endpoints.size} (${[...endpoints.keys()].join(', ')})`);
		expect([...endpoints.keys()].filter((e) => !(e in samples))).toEqual([]);
		expect(Object.keys(samples).filter((e) => !endpoints.has(e))).toEqual([]);
	});

	it('answers every case on every endpoint, and stores what it answered', { timeout: 240_000 }, async () => {
		const tally = new Map<string, number>();
		const count = (c: string) => tally.set(c, (tally.get(c) ?? 0) + 1);
		const problem = async (response: Response, status: number, label: string) => {
			expect(response.status, label).toBe(status);
			expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
			const body = (await response.json()) as Problem;
			expect(body.messages.ja.detail, label).not.toBe('');
			expect(body.messages.en.detail, label).not.toBe('');
			return body;
		};
		for (const [endpoint, sample] of Object.entries(samples)) {
			const method = endpoint.split(' ')[0]!;
			const writes = method !== 'GET';
			const own = await token(writes ? 'write' : 'read');
			const label = (c: string) => `${endpoint}: ${c}`;
			await refresh(db, world); // an earlier endpoint's writes moved some versions
			const before = await db.select({ n: auditLog.id }).from(auditLog);

			// Refusals first: none of them may write anything.
			const unauthenticated = await problem(await call(undefined, method, sample.ok(world)), 401, label('no token'));
			expect(unauthenticated.reason).toBe('unauthenticated');
			count('no token');

			const foreign = await token(writes ? 'write' : 'read', { slug: 'meguro' });
			await problem(await call(foreign, method, sample.ok(world)), 403, label('another city’s token'));
			count('another city’s token');
			if (/:(?!slug)\w+/.test(endpoint)) {
				// Its ids, under the other city's own slug: that city has no such item.
				const swapped = await call(foreign, method, sample.ok(world), undefined, 'meguro');
				await problem(swapped, 404, label('ids of another city'));
				count('ids swapped into another city');
			}

			const limited = await token('write', { departmentIds: limitedTo });
			if (writes) {
				await problem(await call(await token('read'), method, sample.ok(world)), 403, label('read-only token writing'));
				count('read-only token writing');
				await problem(await call(limited, method, sample.outside(world)), 403, label('outside its departments'));
			} else {
				// Reading is not limited by department.
				expect((await call(limited, method, sample.outside(world))).status, label('limited token reading')).toBe(200);
			}
			count('department-limited token');

			if (sample.invalid) {
				const invalid = await problem(await call(own, method, sample.invalid(world)), 400, label('validation'));
				expect(invalid.errors?.length, label('validation')).toBeGreaterThan(0);
				expect(invalid.errors![0]!.messages.ja).toMatch(/[぀-ヿ一-龯]/);
				count('validation error');
			}

			if (writes) {
				const big = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES + 1) });
				await problem(await call(own, method, sample.ok(world), big), 413, label('oversize body'));
				count('oversize body (413)');
			}

			const after = await db.select({ n: auditLog.id }).from(auditLog);
			expect(after.length, label('refusals wrote nothing')).toBe(before.length);

			// Success, and what it stored.
			const response = await call(own, method, sample.ok(world));
			expect(response.status, label(`success: ${await response.clone().text()}`)).toBe(sample.status);
			const answer = (await response.json()) as { data: Record<string, unknown> };
			expect(answer.data, label('success')).toBeTruthy();
			await sample.stored?.(db, world, answer);
			count('success');

			if (sample.versioned) {
				// The same body again: its version is now stale.
				const stale = await problem(await call(own, method, sample.ok(world)), 409, label('stale version'));
				expect(stale.current, label('stale version')).toBeTruthy();
				count('stale version (409)');
			}

			// Over its rate: the token's own bucket, counted before anything else is done.
			const busy = await token(writes ? 'write' : 'read');
			let refused: Response | null = null;
			for (let sent = 0; sent < 400 && !refused; sent++) {
				const r = await call(busy, method, (sample.invalid ?? sample.ok)(world));
				if (r.status === 429) refused = r;
			}
			expect(refused, label('over its rate')).not.toBeNull();
			expect(refused!.headers.get('retry-after')).toBe(String(RATE_PERIOD_SECONDS));
			await problem(refused!, 429, label('over its rate'));
			count('rate limit (429)');
		}
		const total = [...tally.values()].reduce((a, b) => a + b, 0);
		console.log(`City endpoint cases: ${total} (${[...tally].map(([c, n]) => `${c} ${n}`).join(', ')})`);
		expect(tally.get('success')).toBe(Object.keys(samples).length);
	});

	it('history names the token, by name, as the actor of its writes', async () => {
		const own = await token('write');
		const response = await call(own, 'PUT', {
			path: `/kpis/${world.kpi}/values`,
			body: { periodKind: 'fiscal_year', periodYear: 2022, value: 38 }
		});
		expect(response.status).toBe(200);
		const rows = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entity, 'indicator'), eq(auditLog.entityId, world.kpi)));
		const last = rows.sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1)!;
		expect(last).toMatchObject({ actorRole: 'api_token', actorEmail: null });
		expect(last.actorName).toMatch(/^test write /);
	});
});

/** The versions as saved now: correcting a record moves its metrics' versions too. */
async function refresh(db: TenantDb, w: World) {
	for (const v of [w.record.inside, w.record.outside])
		v.version = (await db.select().from(yearlyRecords).where(eq(yearlyRecords.id, v.id)))[0]!.version;
	for (const v of [w.metric.inside, w.metric.outside])
		v.version = (await db.select().from(metrics).where(eq(metrics.id, v.id)))[0]!.version;
	w.kpiValue.version = (
		await db.select().from(indicatorValues).where(eq(indicatorValues.id, w.kpiValue.id))
	)[0]!.version;
}

async function nodeOf(db: TenantDb, initiativeId: string): Promise<string> {
	const [row] = await db
		.select({ nodeId: initiatives.nodeId })
		.from(initiatives)
		.where(eq(initiatives.id, initiativeId));
	return row!.nodeId;
}
