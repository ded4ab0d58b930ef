// The shape of the seed files in seeds/ (see seeds/README.md), built from the same field rules
// the app uses, so a seed that loads is data the app accepts.
import { z } from 'zod';
import { zodMessage } from '../errors.ts';
import * as f from './fields.ts';

const metric = z.strictObject({
	label: f.label,
	value: f.measuredValue,
	unit: f.unit,
	indicator: f.indicatorCode.optional(),
	period: f.period.optional(),
	status: f.valueStatus.optional(),
	stockFlow: f.stockFlow.optional(),
	approximate: z.boolean().optional(),
	cumulative: z.boolean().optional(),
	note: f.note.optional()
});

// An empty cell of the document is no record: a record has its text.
const record = z
	.strictObject({
		fiscalYear: f.fiscalYear,
		phase: z.enum(['actual', 'plan', 'summary']),
		department: z.string().min(1).optional(),
		text: f.required(f.LIMITS.text, 'record_text'),
		metrics: z.array(metric).default([]),
		note: f.note.optional()
	})
	.superRefine((r, ctx) =>
		r.metrics.forEach((m, i) => {
			if (r.phase === 'plan' && m.status && m.status !== 'planned')
				ctx.addIssue({ code: 'custom', message: 'a planned value is never final', path: ['metrics', i, 'status'] });
		})
	);

/** How a plan (or one section of it) heads its record columns; "{year}" is the year as printed. */
const recordColumns = z.strictObject({
	actual: z.string().min(1).optional(),
	plan: z.string().min(1).optional(),
	summary: z.string().min(1).optional()
});

const initiative = z.strictObject({
	code: z.string().optional(),
	title: f.title('initiative_title'),
	description: f.longText('initiative_description').optional(),
	planRef: z.string().max(50).optional(),
	departments: z.array(z.string().min(1)).default([]),
	departmentNote: z.string().max(100).optional(),
	categories: z.array(f.taxonomyCode).min(1, { error: zodMessage('validation_category_required') }),
	records: z.array(record).default([]),
	notes: f.note.optional()
});

const measured = z.strictObject({
	value: f.measuredValue.optional(),
	text: z.string().max(200).optional(),
	period: f.period.optional(),
	status: f.valueStatus.optional(),
	note: f.note.optional()
});

const kpi = z
	.strictObject({
		name: f.title('kpi_name'),
		unit: f.unit,
		direction: z.enum(['higher', 'lower']),
		sharedIndicator: f.indicatorCode.optional(),
		stockFlow: f.stockFlow.optional(),
		baseline: measured.optional(),
		target: measured.optional(),
		note: f.note.optional()
	})
	.refine((k) => !k.baseline?.period || !k.target?.period || k.target.period.year >= k.baseline.period.year, {
		error: zodMessage('validation_target_before_baseline'),
		path: ['target', 'period', 'year']
	})
	.refine((k) => !k.target?.status || k.target.status === 'planned', {
		error: 'a target is planned, never final',
		path: ['target', 'status']
	});

/** A figure of 現状と課題: what it counts, the number, unit and period, and the indicator it feeds. */
const statistic = z.strictObject({
	label: f.label,
	value: f.measuredValue,
	unit: f.unit,
	period: f.period,
	status: f.valueStatus.optional(),
	sharedIndicator: f.indicatorCode.optional(),
	note: f.note.optional()
});
export type SeedStatistic = z.infer<typeof statistic>;

/** A plan the city's numbering (施策番号) points into, as its footnote names it. */
const reference = z.strictObject({
	title: f.title('plan_title'),
	periodStart: f.fiscalYear.optional(),
	periodEnd: f.fiscalYear.optional(),
	section: z.string().max(200).optional(),
	page: z.string().max(50).optional()
});

export interface SeedNode {
	code?: string | undefined;
	title: string;
	subtitle?: string | undefined;
	summary?: string | undefined;
	currentState?: string[] | undefined;
	relatedPlans?: string[] | undefined;
	recordColumns?: z.infer<typeof recordColumns> | undefined;
	notes?: string | undefined;
	children: SeedNode[];
	initiatives: z.infer<typeof initiative>[];
	indicators: z.infer<typeof kpi>[];
	statistics: SeedStatistic[];
}

const node: z.ZodType<SeedNode, unknown> = z.lazy(() =>
	z.strictObject({
		code: z.string().optional(),
		title: f.title('node_title'),
		subtitle: z.string().optional(),
		summary: f.longText('node_summary').optional(),
		currentState: z.array(z.string()).optional(),
		relatedPlans: z.array(z.string()).optional(),
		recordColumns: recordColumns.optional(),
		notes: f.longText('note').optional(),
		children: z.array(node).default([]),
		initiatives: z.array(initiative).default([]),
		indicators: z.array(kpi).default([]),
		statistics: z.array(statistic).default([])
	})
);

export const citySeed = z.strictObject({
	tenant: z.strictObject({ slug: f.slug, municipalityCode: f.municipalityCode, name: z.string().min(1) }),
	plan: z.strictObject({
		title: f.title('plan_title'),
		kind: z.enum(['plan', 'guideline', 'report']),
		sourceDocument: z.string().optional(),
		periodStart: f.fiscalYear.optional(),
		periodEnd: f.fiscalYear.optional(),
		levelLabels: z.array(z.string().min(1)).min(1),
		initiativeLabel: z.string().min(1),
		recordColumns: recordColumns.optional(),
		notes: f.longText('note').optional(),
		references: z.array(reference).default([])
	}),
	departments: z.array(z.strictObject({ name: z.string().min(1).max(100), parent: z.string().optional() })).default([]),
	nodes: z.array(node).min(1)
});
export type CitySeed = z.infer<typeof citySeed>;
export type SeedInitiative = z.infer<typeof initiative>;
export type SeedKpi = z.infer<typeof kpi>;

const seedDate = z
	.union([z.string(), z.date()])
	.transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));

/** A version in force says when it was published; a draft (published by an operator) when it was drafted. */
export const taxonomySeed = z.strictObject({
	version: z.number().int().positive(),
	publishedAt: seedDate.optional(),
	draftedAt: seedDate.optional(),
	categories: z
		.array(
			z.strictObject({
				code: f.taxonomyCode,
				parent: f.taxonomyCode.nullable().optional(),
				nameJa: z.string().min(1),
				nameEn: z.string().min(1),
				definition: z.string().min(1),
				definitionEn: z.string().min(1)
			})
		)
		.min(1)
});
export type TaxonomySeed = z.infer<typeof taxonomySeed>;

export const taxonomyMappingSeed = z.strictObject({
	from: z.number().int().positive(),
	to: z.number().int().positive(),
	codes: z.array(
		z.strictObject({
			code: f.taxonomyCode,
			note: z.string().min(1),
			rules: z
				.array(
					z.strictObject({
						when: z.array(z.string().min(1)).min(1).optional(),
						to: z.array(f.taxonomyCode).min(1),
						review: z.boolean().optional()
					})
				)
				.min(1)
		})
	)
});
export type TaxonomyMappingSeed = z.infer<typeof taxonomyMappingSeed>;

export const indicatorsSeed = z.strictObject({
	version: z.number().int().positive(),
	indicators: z.array(
		z.strictObject({
			code: f.indicatorCode,
			nameJa: z.string().min(1),
			nameEn: z.string().min(1),
			unit: f.unit,
			/** Other spellings of the same unit (回/年 for a yearly count of 回). */
			unitAliases: z.array(f.unit).default([]),
			/** stock: 年度末時点の累計; flow: 年度中. */
			stockFlow: f.stockFlow,
			/** neutral: an activity input (km driven, runs); shown, never ranked. */
			direction: z.enum(['higher', 'lower', 'neutral']),
			normalisation: z.enum(['absolute', 'per_10k_population', 'per_1k_population']),
			periodKind: f.periodKind,
			category: f.taxonomyCode,
			definition: z.string().min(1)
		})
	)
});
export type IndicatorsSeed = z.infer<typeof indicatorsSeed>;
