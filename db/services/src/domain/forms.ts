// Validation of what city staff submit, shared by the web app's form actions and the API: each
// service verb parses its raw input with one of these. Messages are catalogue keys (errors.ts).
import { z } from 'zod';
import { fieldName, zodMessage as m } from '../errors.ts';
import * as f from './fields.ts';
import { parseYearInput } from './fiscal-year.ts';
import { COMMENT_MAX } from './limits.ts';

/** Form fields arrive as strings; an empty field is "not given", else `read` takes its text. */
const fromText =
	(read: (text: string) => unknown) =>
	(v: unknown): unknown =>
		v === null ? undefined : typeof v === 'string' ? (v.trim() === '' ? undefined : read(v)) : v;

const asText = fromText((text) => text);
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess(asText, schema.optional());

const toNumber = fromText((text) => Number(text.normalize('NFKC').replace(/[,，\s]/g, '')));
const numberSchema = (what: string) =>
	z
		.number({ error: m('validation_number', { field: fieldName(what) }) })
		.finite({ error: m('validation_number', { field: fieldName(what) }) })
		.refine((v) => Math.abs(v) <= f.MAX_MAGNITUDE, { error: m('validation_value_magnitude') });

/** A number typed into a form: full-width digits and thousands separators are accepted. */
const numberFromText = (what: string) => z.preprocess(toNumber, numberSchema(what));
const optionalNumberFromText = (what: string) => z.preprocess(toNumber, numberSchema(what).optional());

/** A year as staff type it: 令和3, R3, 令3, 平成31, H31, 元年, 2021, full-width digits (parseYearInput). */
const toYear = fromText((text) => parseYearInput(text) ?? Number.NaN);
const yearSchema = (what: string) =>
	z.number({ error: m('validation_year_unreadable', { field: fieldName(what) }) }).pipe(f.fiscalYear);
const yearFromText = (what: string) => z.preprocess(toYear, yearSchema(what));
const optionalYearFromText = (what: string) => z.preprocess(toYear, yearSchema(what).optional());

export const version = z.coerce
	.number({ error: m('validation_version') })
	.int({ error: m('validation_version') })
	.positive({ error: m('validation_version') });
const idList = z.preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(f.id));
const codeList = <T extends z.ZodType>(schema: T) =>
	z.preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(schema));

/** The row a verb acts on, and the version the editor saw. */
export const target = z.object({ id: f.id });
export const versioned = target.extend({ version });

export const initiativeForm = z.object({
	version,
	title: f.title('initiative_title'),
	description: optionalText(f.longText('initiative_description')),
	planRef: optionalText(f.trimmed(50, 'plan_ref')),
	departmentIds: idList,
	categoryCodes: codeList(f.taxonomyCode).pipe(z.array(z.string()).min(1, { error: m('validation_category_required') }))
});
export type InitiativeForm = z.infer<typeof initiativeForm>;
export const updateInitiativeInput = initiativeForm.extend({ id: f.id });

export const newInitiativeForm = initiativeForm.omit({ version: true }).extend({
	nodeId: z.string({ error: m('validation_node_required') }).min(1, { error: m('validation_node_required') })
});
export type NewInitiativeForm = z.infer<typeof newInitiativeForm>;

export const moveInitiativeInput = versioned.extend({
	direction: z.enum(['up', 'down']).optional(),
	nodeId: optionalText(f.id)
});

export const nodeForm = z.object({
	version,
	code: optionalText(f.trimmed(20, 'node_code')),
	title: f.title('node_title'),
	summary: optionalText(f.longText('node_summary'))
});
export const newNodeForm = nodeForm.omit({ version: true });
export const updateNodeInput = nodeForm.extend({ id: f.id });
export const createNodeInput = newNodeForm.extend({
	parentId: z.preprocess((v) => (v === '' ? null : v), f.id.nullable())
});
export const moveNodeInput = target.extend({ direction: z.enum(['up', 'down'], { error: m('validation_invalid') }) });

const metricFields = z.object({
	label: f.label,
	value: numberFromText('number'),
	unit: f.unit,
	indicatorCode: optionalText(f.indicatorCode),
	status: optionalText(f.valueStatus),
	stockFlow: optionalText(f.stockFlow)
});
export const metricForm = metricFields.superRefine(f.plausibleIn('value'));
export type MetricForm = z.infer<typeof metricForm>;

export const recordForm = z.object({
	fiscalYear: yearFromText('fiscal_year'),
	phase: z.enum(['actual', 'plan', 'summary'], { error: m('validation_phase') }),
	departmentId: optionalText(f.id),
	text: f.required(f.LIMITS.text, 'record_text'),
	metrics: z.array(metricForm).default([])
});
export type RecordForm = z.infer<typeof recordForm>;
/** What a new record or metric belongs to, read first: it decides who may add one (authorizeRecord). */
export const recordOwner = z.object({ initiativeId: f.id });
export const metricOwner = z.object({ recordId: f.id });
export const addRecordInput = recordForm.extend(recordOwner.shape);
/** A record's correction as the form (and the API's body) sends it; the record is named by its id. */
export const recordCorrection = recordForm.omit({ metrics: true }).extend({ version });
export const updateRecordInput = recordCorrection.extend({ id: f.id });
export const addMetricInput = metricFields.extend(metricOwner.shape).superRefine(f.plausibleIn('value'));
/** A metric's correction as the form (and the API's body) sends it. */
export const metricCorrection = metricFields.extend({ version }).superRefine(f.plausibleIn('value'));
export const restoreVersionInput = target.extend({
	entryId: f.id,
	version: z.preprocess((v) => (v === '' || v === null ? undefined : v), version.optional())
});
export const updateMetricInput = metricFields.extend({ id: f.id, version }).superRefine(f.plausibleIn('value'));

export const kpiValueForm = z.object({
	periodKind: f.periodKind,
	periodYear: yearFromText('fiscal_year'),
	value: numberFromText('value'),
	status: optionalText(f.valueStatus).transform((s) => s ?? 'final'),
	note: optionalText(f.note)
});
export type KpiValueForm = z.infer<typeof kpiValueForm>;
/** A KPI's value for one period; `version` when it corrects the value there (absent: a new one). */
export const kpiValueEntry = kpiValueForm.extend({
	version: z.preprocess((v) => (v === '' || v === null ? undefined : v), version.optional())
});
export const setKpiValueInput = kpiValueEntry.extend({ indicatorId: f.id });

const kpiFields = z.object({
	name: f.title('kpi_name'),
	unit: f.unit,
	direction: z.enum(['higher', 'lower'], { error: m('validation_direction') }),
	stockFlow: optionalText(f.stockFlow),
	baselineValue: optionalNumberFromText('baseline_value'),
	baselineYear: optionalYearFromText('baseline_year'),
	baselinePeriodKind: optionalText(f.periodKind),
	baselineStatus: optionalText(f.valueStatus),
	targetValue: optionalNumberFromText('target_value'),
	targetYear: optionalYearFromText('target_year'),
	sharedIndicatorCode: optionalText(f.indicatorCode)
});
const targetAfterBaseline = (k: { baselineYear?: number | undefined; targetYear?: number | undefined }) =>
	k.baselineYear === undefined || k.targetYear === undefined || k.targetYear >= k.baselineYear;
const targetAfterBaselineMessage = { error: m('validation_target_before_baseline'), path: ['targetYear'] };

const plausibleKpi = f.plausibleIn<z.infer<typeof kpiFields>>('baselineValue', 'targetValue');
export const kpiForm = kpiFields
	.extend({ version })
	.refine(targetAfterBaseline, targetAfterBaselineMessage)
	.superRefine(plausibleKpi);
export const updateKpiInput = kpiFields
	.extend({ version, id: f.id })
	.refine(targetAfterBaseline, targetAfterBaselineMessage)
	.superRefine(plausibleKpi);
export const newKpiForm = kpiFields
	.extend({
		nodeId: z.string({ error: m('validation_node_required') }).min(1, { error: m('validation_node_required') })
	})
	.refine(targetAfterBaseline, targetAfterBaselineMessage)
	.superRefine(plausibleKpi);
export type KpiForm = z.infer<typeof kpiForm>;

export const departmentForm = z.object({ name: f.required(100, 'department_name') });
export const renameDepartmentInput = departmentForm.extend({ id: f.id, version });

/** The fiscal year to publish or withdraw: one that is offered must be chosen. */
export const fiscalYearInput = z.object({
	fiscalYear: z.unknown().transform((v, ctx) => {
		const year = f.fiscalYearFromText.safeParse(v);
		if (year.success) return year.data;
		ctx.addIssue({ code: 'custom', message: m('validation_fiscal_year_choose') });
		return z.NEVER;
	})
});
/**
 * A publication: its year, and the key the confirming page was served with, so that the same
 * confirmation sent twice (a retry after an unknown outcome, a double click) is published once.
 */
export const publishInput = fiscalYearInput.extend({
	key: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: m('validation_invalid') }).optional())
});

/** Whether the city shows residents its page: a form's `on` / `off`, or a JSON boolean (the API). */
export const residentPageInput = z.object({
	residentPage: z.preprocess(
		(v) => (v === 'on' ? true : v === 'off' ? false : v),
		z.boolean({ error: m('validation_resident_page') })
	)
});

// A lenient field (`.catch`) says in its `meta` what it takes: the API's OpenAPI document is
// generated from these schemas, and a generator cannot see through a catch.
const yearParam = { type: 'integer', description: 'Fiscal year (年度), e.g. 2024' } as const;

/** The overview's filters, from a query string: what does not parse is simply no filter. */
export const overviewFilters = z.object({
	departmentId: optionalText(f.id).catch(undefined).meta({ type: 'string', description: 'A department’s id' }),
	category: optionalText(z.string().max(100)).catch(undefined).meta({ type: 'string', description: 'A taxonomy code' }),
	fiscalYear: optionalText(f.fiscalYearFromText).catch(undefined).meta(yearParam),
	q: optionalText(z.string().transform((q) => q.slice(0, 100)))
		.catch(undefined)
		.meta({ type: 'string', description: 'Words in a title' }),
	/** Only the initiatives whose categories the city is asked to check. */
	review: z
		.unknown()
		.transform((v) => v === '1' || v === true)
		.catch(false)
		.meta({ type: 'string', enum: ['1'], description: 'Only initiatives whose categories are to be checked' })
});
export type OverviewFilters = z.infer<typeof overviewFilters>;

export const historyQuery = z.object({
	entity: z.enum(['initiative', 'node', 'department', 'indicator', 'record', 'plan', 'member']).optional(),
	entityId: f.id.optional(),
	limit: z.coerce
		.number({ error: m('validation_limit', { max: 500 }) })
		.int({ error: m('validation_limit', { max: 500 }) })
		.min(1, { error: m('validation_limit', { max: 500 }) })
		.max(500, { error: m('validation_limit', { max: 500 }) })
		.default(200)
});

/** A municipality looked up by its code (全国地方公共団体コード). */
export const municipalityLookup = z.object({ code: f.municipalityCode });

// What the public API (workers/api) names in its paths and queries; a wrong one is a 400, never
// a guess (the web app's lenient query fields, above, fall back to a default instead).

/** A city by its slug (the resident page's and the API's `/cities/{slug}`). */
export const cityLookup = z.object({ slug: f.slug });

/** The subscribed cities, of one prefecture when `prefecture` is given. */
export const citiesQuery = z.object({ prefecture: f.prefectureCode.optional() });

/** A published version of the taxonomy, by its number. */
export const taxonomyVersionLookup = z.object({
	version: z.coerce
		.number({ error: m('validation_taxonomy_version') })
		.int({ error: m('validation_taxonomy_version') })
		.positive({ error: m('validation_taxonomy_version') })
});

/** A shared indicator, by its code. */
export const indicatorLookup = z.object({ code: f.indicatorCode });

/** Published benchmark facts: of one prefecture and one shared indicator. */
export const benchmarkLookup = z.object({ prefecture: f.prefectureCode, indicator: f.indicatorCode });

/** The fiscal year asked for (`?fiscalYear=2024`), else the newest published. */
export const fiscalYearQuery = z.object({
	fiscalYear: z.preprocess(asText, f.fiscalYearFromText.optional()).meta(yearParam)
});

/** The plan itself: its name, kind, period in 年度 and the names of its levels (one per line). */
const levelLabels = z.preprocess(
	(v) =>
		typeof v === 'string'
			? v
					.split(/[\n、,，/／>›]/)
					.map((s) => s.trim())
					.filter(Boolean)
			: v,
	z
		.array(f.required(20, 'plan_level'))
		.min(1, { error: m('validation_plan_levels') })
		.max(6, { error: m('validation_plan_levels') })
);
const planFields = z.object({
	title: f.title('plan_title'),
	kind: z.enum(['plan', 'guideline', 'report'], { error: m('validation_plan_kind') }),
	periodStart: optionalYearFromText('plan_period_start'),
	periodEnd: optionalYearFromText('plan_period_end'),
	levelLabels,
	initiativeLabel: f.required(20, 'initiative_label')
});
const periodInOrder = (p: { periodStart?: number | undefined; periodEnd?: number | undefined }) =>
	p.periodStart === undefined || p.periodEnd === undefined || p.periodEnd >= p.periodStart;
const periodOrderMessage = { error: m('validation_plan_period_order'), path: ['periodEnd'] };
export const createPlanInput = planFields.refine(periodInOrder, periodOrderMessage);
export const updatePlanInput = planFields.extend({ id: f.id, version }).refine(periodInOrder, periodOrderMessage);

/** A statistic of a policy area (現状と課題): its figure, unit, period (年 or 年度) and, if it feeds one, the shared indicator. */
const statisticFields = z.object({
	label: f.label,
	value: numberFromText('value'),
	unit: f.unit,
	periodKind: f.periodKind,
	periodYear: yearFromText('fiscal_year'),
	// Empty: the source does not say whether the figure is final (確定) or provisional (速報).
	status: optionalText(f.valueStatus),
	sharedIndicatorCode: optionalText(f.indicatorCode),
	note: optionalText(f.note)
});
export const statisticForm = statisticFields.superRefine(f.plausibleIn('value'));
export type StatisticForm = z.infer<typeof statisticForm>;
export const createStatisticInput = statisticFields.extend({ nodeId: f.id }).superRefine(f.plausibleIn('value'));
export const updateStatisticInput = statisticFields
	.extend({ id: f.id, version, nodeId: f.id })
	.superRefine(f.plausibleIn('value'));
export const deleteStatisticInput = versioned.extend({ nodeId: f.id });

// Reporting rounds (rounds/rounds.ts).

/** A day typed as 2027-05-31, 2027/5/31 or 令和9年5月31日 is not guessed: the date field sends YYYY-MM-DD. */
const day = (what: string) =>
	z.preprocess(
		asText,
		z
			.string({ error: m('validation_required', { field: fieldName(what) }) })
			.regex(/^\d{4}-\d{2}-\d{2}$/, { error: m('validation_date', { field: fieldName(what) }) })
			.refine(
				(text) => {
					const date = new Date(`${text}T00:00:00Z`);
					return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
				},
				{ error: m('validation_date', { field: fieldName(what) }) }
			)
	);

export const progressStatus = z.enum(['done', 'partial', 'not_done', 'completed', 'cancelled'], {
	error: m('validation_progress')
});

/** A city's own word for a progress status (実施済, 取りやめ…); empty keeps the standard one. */
const progressWord = optionalText(f.trimmed(20, 'progress_label'));

export const openRoundInput = z.object({
	fiscalYear: yearFromText('fiscal_year'),
	progressLabels: z
		.object({
			done: progressWord,
			partial: progressWord,
			not_done: progressWord,
			completed: progressWord,
			cancelled: progressWord
		})
		.default({}),
	deadline: day('deadline'),
	reminderLeadDays: z.preprocess(
		toNumber,
		z
			.number({ error: m('validation_lead_days') })
			.int({ error: m('validation_lead_days') })
			.min(0, { error: m('validation_lead_days') })
			.max(60, { error: m('validation_lead_days') })
			.default(7)
	)
});

/** A figure of a submission: what was counted, the number, its unit (checked for plausibility). */
export const taskMetric = z
	.object({ label: f.label, value: numberFromText('number'), unit: f.unit })
	.superRefine(f.plausibleIn('value'));
export type TaskMetricForm = z.infer<typeof taskMetric>;

export const taskForm = z.object({
	actualText: f.longText('task_actual').default(''),
	actualMetrics: z.array(taskMetric).max(30).default([]),
	planText: f.longText('task_plan').default(''),
	planMetrics: z.array(taskMetric).max(30).default([]),
	progress: optionalText(progressStatus)
});
export type TaskForm = z.infer<typeof taskForm>;
/** Saving keeps a draft; submitting sends it to the section for review. */
export const saveTaskInput = taskForm.extend({
	id: f.id,
	version,
	intent: z.enum(['draft', 'submit'], { error: m('validation_invalid') }).default('draft')
});
export const returnTaskInput = versioned.extend({ comment: f.required(f.LIMITS.note, 'return_comment') });

/** The year of the progress roll-up (`?year=`); a year that cannot be read is the default year. */
export const progressQuery = z.object({
	fiscalYear: optionalText(f.fiscalYearFromText).catch(undefined).meta(yearParam)
});

export { COMMENT_MAX };

/** A comment on an initiative, or on one submission of it (`taskId`), mentioning departments. */
export const commentInput = z.object({
	initiativeId: f.id,
	taskId: optionalText(f.id),
	body: f.required(COMMENT_MAX, 'body'),
	mentions: idList
});
export const commentsQuery = z.object({ initiativeId: f.id, taskId: optionalText(f.id) });

/** The yearly report's year, from a query string: what does not parse is the default year. */
export const reportYearInput = z.object({
	fiscalYear: optionalText(f.fiscalYearFromText).catch(undefined).meta(yearParam)
});
