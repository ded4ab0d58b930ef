// The fields of each kind of row the workspace corrects, as RowFields lays them out: one list per
// kind, shared by the form that adds such a row and the forms that correct it.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { FieldSpec } from './RowFields.svelte';

type Indicator = { code: string; nameJa: string; nameEn: string; unit: string };
type Period = 'fiscal_year' | 'calendar_year' | null;

/** A shared indicator as a select offers it: its name in the user's language, with its unit. */
const indicatorOptions = (indicators: readonly Indicator[], locale: Locale) =>
	indicators.map((i) => ({ value: i.code, label: `${locale === 'ja' ? i.nameJa : i.nameEn}（${i.unit}）` }));

/** A select of a few fixed choices, each a value and its label. */
const choice = (key: string, label: string, options: [string, () => string][]): FieldSpec => ({
	kind: 'select',
	key,
	label,
	options: options.map(([value, word]) => ({ value, label: word() }))
});

/** A select that may stay empty (選択なし). */
const optional = (key: string, label: string, options: { value: string; label: string }[]): FieldSpec => ({
	kind: 'select',
	key,
	label,
	empty: m.none_selected(),
	options
});

/** A yearly record: fiscal year, phase, department and its text. */
export const recordFields = (departments: readonly { id: string; name: string }[]): FieldSpec[] => [
	{ kind: 'year', key: 'fiscalYear', label: m.record_field_year() },
	choice('phase', m.record_field_phase(), [
		['actual', m.phase_actual],
		['plan', m.phase_plan],
		['summary', m.phase_summary]
	]),
	optional(
		'departmentId',
		m.record_field_department(),
		departments.map((d) => ({ value: d.id, label: d.name }))
	),
	{ kind: 'text', key: 'text', label: m.record_field_text(), multiline: true, wide: true }
];

/** Whether a figure is a stock (年度末時点の累計) or a flow (年度中); empty when the source does not say. */
const stockFlowField = () =>
	optional('stockFlow', m.field_stock_flow(), [
		{ value: 'flow', label: m.stock_flow_flow() },
		{ value: 'stock', label: m.stock_flow_stock() }
	]);

/** Final, provisional or planned; empty when the source does not say (不明). */
const statusField = (key: string, label: string) =>
	optional(key, label, [
		{ value: 'final', label: m.value_final() },
		{ value: 'provisional', label: m.value_provisional() },
		{ value: 'planned', label: m.value_planned() }
	]);

export const metricKeys = ['label', 'value', 'unit', 'status', 'stockFlow', 'indicatorCode'] as const;
type MetricKey = (typeof metricKeys)[number];
/** What the new-record form posts for its first figure (its own fields are the record's). */
export const metricNames: Record<MetricKey, string> = {
	label: 'metricLabel',
	value: 'metricValue',
	unit: 'metricUnit',
	status: 'metricStatus',
	stockFlow: 'metricStockFlow',
	indicatorCode: 'metricIndicator'
};

/**
 * A figure of a record: label, number, unit, status, stock or flow, and the shared indicator it
 * feeds. `names`: what the form posts for each (the new-record form posts metricLabel, …).
 */
export const metricFields = (
	indicators: readonly Indicator[],
	locale: Locale,
	names: Partial<Record<MetricKey, string>> = {}
): FieldSpec[] =>
	[
		{ kind: 'text', key: 'label', label: m.record_field_metric_label() },
		{ kind: 'text', key: 'value', label: m.record_field_metric_value(), inputmode: 'decimal' },
		{ kind: 'text', key: 'unit', label: m.record_field_metric_unit() },
		statusField('status', m.field_value_status()),
		stockFlowField(),
		optional('indicatorCode', m.record_field_metric_indicator(), indicatorOptions(indicators, locale))
	].map((f) => ({ ...f, name: names[f.key as MetricKey] }) as FieldSpec);

/** A KPI value: its period (年度 or 年), year, figure (in the KPI's unit) and status. */
export const kpiValueFields = (unit: string): FieldSpec[] => [
	choice('periodKind', m.kpi_field_period(), [
		['fiscal_year', m.period_fiscal_year],
		['calendar_year', m.period_calendar_year]
	]),
	{ kind: 'year', key: 'periodYear', label: m.kpi_field_year(), periodFrom: 'periodKind' },
	{ kind: 'text', key: 'value', label: `${m.kpi_field_value()}（${unit}）`, inputmode: 'decimal' },
	choice('status', m.kpi_field_status(), [
		['final', m.value_final],
		['provisional', m.value_provisional],
		['planned', m.value_planned],
		['unknown', m.value_unknown]
	])
];

/** A KPI: name, unit, direction, baseline and target (each a value and its year), shared indicator. */
export const kpiFields = (
	indicators: readonly Indicator[],
	locale: Locale,
	periods: { baseline?: Period; target?: Period } = {}
): FieldSpec[] => [
	{ kind: 'text', key: 'name', label: m.kpi_field_name(), wide: true },
	{ kind: 'text', key: 'unit', label: m.kpi_field_unit() },
	choice('direction', m.kpi_field_direction(), [
		['higher', m.kpi_direction_higher],
		['lower', m.kpi_direction_lower]
	]),
	...(
		[
			['baseline', m.kpi_field_baseline_value(), m.kpi_field_baseline_year()],
			['target', m.kpi_field_target_value(), m.kpi_field_target_year()]
		] as const
	).flatMap(([end, valueLabel, yearLabel]): FieldSpec[] => [
		{ kind: 'text', key: `${end}Value`, label: valueLabel, inputmode: 'decimal' },
		...(end === 'baseline'
			? [
					choice('baselinePeriodKind', m.kpi_field_baseline_period(), [
						['fiscal_year', m.period_fiscal_year],
						['calendar_year', m.period_calendar_year]
					]),
					{ kind: 'year', key: 'baselineYear', label: yearLabel, periodFrom: 'baselinePeriodKind' } as FieldSpec,
					statusField('baselineStatus', m.kpi_field_baseline_status())
				]
			: [{ kind: 'year', key: `${end}Year`, label: yearLabel, period: periods[end] } as FieldSpec])
	]),
	stockFlowField(),
	optional('sharedIndicatorCode', m.kpi_field_shared(), indicatorOptions(indicators, locale))
];

/** A statistic of a policy area (現状と課題): what it counts, figure, unit, period, status, indicator, source. */
export const statisticFields = (indicators: readonly Indicator[], locale: Locale): FieldSpec[] => [
	{ kind: 'text', key: 'label', label: m.statistic_field_label(), wide: true },
	{ kind: 'text', key: 'value', label: m.statistic_field_value(), inputmode: 'decimal' },
	{ kind: 'text', key: 'unit', label: m.statistic_field_unit() },
	choice('periodKind', m.statistic_field_period(), [
		['calendar_year', m.period_calendar_year],
		['fiscal_year', m.period_fiscal_year]
	]),
	{ kind: 'year', key: 'periodYear', label: m.statistic_field_year(), periodFrom: 'periodKind' },
	{
		kind: 'select',
		key: 'status',
		label: m.statistic_field_status(),
		empty: m.statistic_status_unknown(),
		options: [
			{ value: 'final', label: m.value_final() },
			{ value: 'provisional', label: m.value_provisional() }
		]
	},
	optional('sharedIndicatorCode', m.statistic_field_indicator(), indicatorOptions(indicators, locale)),
	{ kind: 'text', key: 'note', label: m.statistic_field_note(), multiline: true, wide: true }
];
