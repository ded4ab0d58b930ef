// What /v1/cities/{slug}/plan answers: the resident page's reading of a city's plan
// (@mamori/services/resident, readPublishedPlan), described for the document and laid out as CSV.
import { z } from '@hono/zod-openapi';
import type { PublishedPlan } from '@mamori/services/resident';
import type { CsvCell } from '../formats.ts';

const standing = z.enum(['met', 'on_track', 'behind', 'unmeasured']);
const status = z
	.string()
	.openapi({ description: 'done, partial, not_done, completed, cancelled or unreported (rounds/rollup.ts)' });
const figures = z.looseObject({
	initiatives: z.number().int(),
	recorded: z.number().int(),
	rate: z.number().nullable().openapi({ description: '実施率 of the year shown' }),
	latestYear: z.number().int().nullable()
});
const yearValue = z
	.object({ value: z.number().nullable(), text: z.string().nullable(), year: z.number().int().nullable() })
	.loose();

export const publishedPlan = z
	.object({
		city: z.object({ slug: z.string(), name: z.string(), municipalityCode: z.string(), prefectureName: z.string() }),
		plan: z
			.looseObject({
				title: z.string(),
				periodStart: z.number().int().nullable(),
				periodEnd: z.number().int().nullable()
			})
			.nullable(),
		publishedYears: z
			.array(z.number().int())
			.openapi({ description: 'The fiscal years the city has published, oldest first' }),
		fiscalYear: z
			.number()
			.int()
			.nullable()
			.openapi({ description: 'The year statuses and latest values are of; null: nothing published yet' }),
		labels: z.record(z.string(), z.unknown()),
		departments: z.array(z.string()),
		whole: figures,
		nodes: z.array(
			z.looseObject({
				id: z.string(),
				parentId: z.string().nullable(),
				code: z.string().nullable(),
				title: z.string(),
				depth: z.number().int(),
				level: z.string().nullable(),
				figures
			})
		),
		initiatives: z.array(
			z.looseObject({
				id: z.string(),
				nodeId: z.string(),
				code: z.string().nullable(),
				title: z.string(),
				departments: z.array(z.string()),
				status,
				records: z.array(
					z.object({
						fiscalYear: z.number().int(),
						phase: z.enum(['actual', 'summary']),
						department: z.string().nullable(),
						text: z.string(),
						progress: z.string().nullable()
					})
				)
			})
		),
		kpis: z.array(
			z.looseObject({
				id: z.string(),
				nodeId: z.string(),
				name: z.string(),
				unit: z.string(),
				direction: z.enum(['higher', 'lower']),
				baseline: yearValue,
				target: yearValue,
				values: z.array(z.looseObject({ periodYear: z.number().int(), value: z.number() })),
				progress: z.number().nullable(),
				standing
			})
		)
	})
	.openapi('PublishedPlan');

/** One row per initiative: its area, its status and its records of the year shown. */
export function publishedPlanCsv(plan: PublishedPlan): [string[], CsvCell[][]] {
	const area = new Map(plan.nodes.map((n) => [n.id, n]));
	const header = [
		'fiscal_year',
		'area_code',
		'area',
		'initiative_code',
		'initiative',
		'departments',
		'status',
		'records'
	];
	const rows = plan.initiatives.map((i) => [
		plan.fiscalYear,
		area.get(i.nodeId)?.code,
		area.get(i.nodeId)?.title,
		i.code,
		i.title,
		i.departments.join('、'),
		i.status,
		i.records
			.filter((r) => r.fiscalYear === plan.fiscalYear)
			.map((r) => r.text)
			.join('\n')
	]);
	return [header, rows];
}
