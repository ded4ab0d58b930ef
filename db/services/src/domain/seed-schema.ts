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
	approximate: z.boolean().optional(),
	cumulative: z.boolean().optional(),
	note: f.note.optional()
});

const record = z.strictObject({
	fiscalYear: f.fiscalYear,
	phase: z.enum(['actual', 'plan']),
	department: z.string().min(1).optional(),
	text: f.longText('record_text'),
	metrics: z.array(metric).default([]),
	note: f.note.optional()
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
		baseline: measured.optional(),
		target: measured.optional(),
		note: f.note.optional()
	})
	.refine((k) => !k.baseline?.period || !k.target?.period || k.target.period.year >= k.baseline.period.year, {
		error: zodMessage('validation_target_before_baseline'),
		path: ['target', 'period', 'year']
	});

export interface SeedNode {
	code?: string | undefined;
	title: string;
	subtitle?: string | undefined;
	summary?: string | undefined;
	currentState?: string[] | undefined;
	relatedPlans?: string[] | undefined;
	notes?: string | undefined;
	children: SeedNode[];
	initiatives: z.infer<typeof initiative>[];
	indicators: z.infer<typeof kpi>[];
}

const node: z.ZodType<SeedNode, unknown> = z.lazy(() =>
	z.strictObject({
		code: z.string().optional(),
		title: f.title('node_title'),
		subtitle: z.string().optional(),
		summary: f.longText('node_summary').optional(),
		currentState: z.array(z.string()).optional(),
		relatedPlans: z.array(z.string()).optional(),
		notes: f.longText('note').optional(),
		children: z.array(node).default([]),
		initiatives: z.array(initiative).default([]),
		indicators: z.array(kpi).default([])
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
		notes: f.longText('note').optional()
	}),
	departments: z.array(z.strictObject({ name: z.string().min(1).max(100), parent: z.string().optional() })).default([]),
	nodes: z.array(node).min(1)
});
export type CitySeed = z.infer<typeof citySeed>;
export type SeedInitiative = z.infer<typeof initiative>;
export type SeedKpi = z.infer<typeof kpi>;

export const taxonomySeed = z.strictObject({
	version: z.number().int().positive(),
	publishedAt: z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
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

export const indicatorsSeed = z.strictObject({
	version: z.number().int().positive(),
	indicators: z.array(
		z.strictObject({
			code: f.indicatorCode,
			nameJa: z.string().min(1),
			nameEn: z.string().min(1),
			unit: f.unit,
			direction: z.enum(['higher', 'lower', 'neutral']),
			normalisation: z.enum(['absolute', 'per_10k_population', 'per_1k_population']),
			periodKind: f.periodKind,
			category: f.taxonomyCode,
			definition: z.string().min(1)
		})
	)
});
export type IndicatorsSeed = z.infer<typeof indicatorsSeed>;
