// A city's plan for its own systems: read an initiative and the KPIs; write yearly records,
// their metrics and KPI values. A session or a city's API token (read: a viewer; write: an
// editor, limited to its departments when it names some). Each endpoint makes one service call,
// the one the web app's form action makes, with the same input (the body and the ids of the path),
// so validation, department scope and version checks are the web app's own: a stale `version`
// answers 409 with the item as saved now.
import { createRoute, z } from '@hono/zod-openapi';
import {
	addMetric,
	addYearlyRecord,
	listKpis,
	readInitiative,
	readKpi,
	setKpiValue,
	updateMetric,
	updateYearlyRecord
} from '@mamori/services';
import {
	cityLookup,
	fields,
	kpiValueEntry,
	metricCorrection,
	metricForm,
	recordCorrection,
	recordForm
} from '@mamori/services/domain';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { jsonOnly } from '../formats.ts';
import { requires } from '../middleware/access.ts';
import { createApi } from '../openapi.ts';
import { problems } from '../problem.ts';
import { tenantContext } from './cities.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
	required: true,
	description,
	content: { 'application/json': { schema } }
});
const saved = z.object({ id: z.string() });
const corrected = z.object({ id: z.string(), version: z.number().int() });
const cityRead = { security: [{ bearer: [] }], middleware: [requires('plan.read', { tenant: 'slug' })] };
const cityWrite = { security: [{ bearer: [] }], middleware: [requires('plan.edit', { tenant: 'slug' })] };

/** The body as the client sent it, with the ids of the path: the raw input of a service verb. */
async function input(c: Context<AppEnv>, ids: Record<string, string>) {
	const body: unknown = await c.req.json();
	return { ...(body as Record<string, unknown>), ...ids };
}

export const cityPlan = createApi()
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/initiatives/{initiativeId}',
			tags: ['city'],
			summary: '施策の詳細 · An initiative, with its yearly records and metrics',
			description: 'The ids and versions here are what the writes below name.',
			...cityRead,
			request: { params: cityLookup.extend({ initiativeId: fields.id }) },
			responses: {
				200: jsonOnly(
					'The initiative (its id, version, title…), its departments, categories, and yearly records with their metrics',
					z.looseObject({ initiative: z.looseObject({ id: z.string(), version: z.number(), title: z.string() }) })
				),
				...problems(400, 403, 404)
			}
		}),
		async (c) => {
			const { initiativeId } = c.req.valid('param');
			const initiative = await readInitiative({ ctx: tenantContext(c), input: { id: initiativeId } });
			return c.json({ data: initiative }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/kpis',
			tags: ['city'],
			summary: 'KPI の一覧 · The plan’s KPIs with their values',
			...cityRead,
			request: { params: cityLookup },
			responses: {
				200: jsonOnly(
					'Each KPI: baseline, target, values by period (with their versions), progress',
					z.array(z.looseObject({ id: z.string(), name: z.string(), values: z.array(z.unknown()) }))
				),
				...problems(400, 403, 404)
			}
		}),
		async (c) => c.json({ data: await listKpis({ ctx: tenantContext(c) }) }, 200)
	)
	.openapi(
		createRoute({
			method: 'get',
			path: '/{slug}/kpis/{kpiId}',
			tags: ['city'],
			summary: 'KPI · One KPI with its values',
			...cityRead,
			request: { params: cityLookup.extend({ kpiId: fields.id }) },
			responses: {
				200: jsonOnly(
					'The KPI: baseline, target, values by period (with their versions), progress',
					z.looseObject({ id: z.string(), name: z.string(), values: z.array(z.unknown()) })
				),
				...problems(400, 403, 404)
			}
		}),
		async (c) => {
			const { kpiId } = c.req.valid('param');
			return c.json({ data: await readKpi({ ctx: tenantContext(c), input: { id: kpiId } }) }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'post',
			path: '/{slug}/initiatives/{initiativeId}/records',
			tags: ['city'],
			summary: '年度の記録を追加 · Add a yearly record (実績・予定・まとめ) with its metrics',
			description:
				'fiscalYear accepts 2024, 令和6, R6 and full-width digits; a metric naming a shared indicator must fit it (unit, period, stock or flow).',
			...cityWrite,
			request: {
				params: cityLookup.extend({ initiativeId: fields.id }),
				body: json(recordForm, 'The record, as the web app’s form sends it')
			},
			responses: { 201: jsonOnly('The new record’s id', saved), ...problems(400, 403, 404) }
		}),
		async (c) => {
			const { initiativeId } = c.req.valid('param');
			const created = await addYearlyRecord({ ctx: tenantContext(c), input: await input(c, { initiativeId }) });
			return c.json({ data: created }, 201);
		}
	)
	.openapi(
		createRoute({
			method: 'put',
			path: '/{slug}/records/{recordId}',
			tags: ['city'],
			summary: '年度の記録を訂正 · Correct a yearly record',
			description: '`version` is the record’s as last read; a newer one saved meanwhile answers 409 with it.',
			...cityWrite,
			request: {
				params: cityLookup.extend({ recordId: fields.id }),
				body: json(recordCorrection, 'The record’s year, phase, department and text, and the version read')
			},
			responses: { 200: jsonOnly('The record’s id and new version', corrected), ...problems(400, 403, 404, 409) }
		}),
		async (c) => {
			const { recordId } = c.req.valid('param');
			const { version } = c.req.valid('json');
			await updateYearlyRecord({ ctx: tenantContext(c), input: await input(c, { id: recordId }) });
			return c.json({ data: { id: recordId, version: version + 1 } }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'post',
			path: '/{slug}/records/{recordId}/metrics',
			tags: ['city'],
			summary: '数値を追加 · Add a metric to a yearly record',
			...cityWrite,
			request: {
				params: cityLookup.extend({ recordId: fields.id }),
				body: json(metricForm, 'The metric: label, value, unit')
			},
			responses: { 201: jsonOnly('The new metric’s id', saved), ...problems(400, 403, 404) }
		}),
		async (c) => {
			const { recordId } = c.req.valid('param');
			const created = await addMetric({ ctx: tenantContext(c), input: await input(c, { recordId }) });
			return c.json({ data: created }, 201);
		}
	)
	.openapi(
		createRoute({
			method: 'put',
			path: '/{slug}/metrics/{metricId}',
			tags: ['city'],
			summary: '数値を訂正 · Correct a metric',
			description: '`version` is the metric’s as last read; a newer one saved meanwhile answers 409 with it.',
			...cityWrite,
			request: {
				params: cityLookup.extend({ metricId: fields.id }),
				body: json(metricCorrection, 'The metric and the version read')
			},
			responses: { 200: jsonOnly('The metric’s id and new version', corrected), ...problems(400, 403, 404, 409) }
		}),
		async (c) => {
			const { metricId } = c.req.valid('param');
			const { version } = c.req.valid('json');
			await updateMetric({ ctx: tenantContext(c), input: await input(c, { id: metricId }) });
			return c.json({ data: { id: metricId, version: version + 1 } }, 200);
		}
	)
	.openapi(
		createRoute({
			method: 'put',
			path: '/{slug}/kpis/{kpiId}/values',
			tags: ['city'],
			summary: 'KPI の値を入力 · Enter or correct a KPI’s value for a period',
			description:
				'One value per period (periodKind, periodYear). To correct a value already there, send its `version`; a newer one saved meanwhile answers 409 with it. A KPI of the whole plan: a token limited to departments may not write it.',
			...cityWrite,
			request: {
				params: cityLookup.extend({ kpiId: fields.id }),
				body: json(kpiValueEntry, 'The period, the value and its status')
			},
			responses: {
				200: jsonOnly(
					'The period saved (GET the KPI for the value’s new version)',
					z.object({ kpiId: z.string(), periodKind: z.string(), periodYear: z.number().int() })
				),
				...problems(400, 403, 404, 409)
			}
		}),
		async (c) => {
			const { kpiId } = c.req.valid('param');
			const { periodKind, periodYear } = c.req.valid('json');
			await setKpiValue({ ctx: tenantContext(c), input: await input(c, { indicatorId: kpiId }) });
			return c.json({ data: { kpiId, periodKind, periodYear } }, 200);
		}
	);
