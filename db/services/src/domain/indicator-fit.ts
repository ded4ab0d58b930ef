// Whether a city's figure (a metric of a yearly record, or a KPI) may feed a shared indicator:
// the same unit (or one of its declared aliases), the same period kind (年度 or 年) and the same
// kind of quantity (a stock, 年度末時点の累計, or a flow, 年度中). One rule for the services and
// the seed loader, so what the app refuses a seed file cannot slip in.
export type PeriodKind = 'fiscal_year' | 'calendar_year';
export type StockFlow = 'stock' | 'flow';

export interface IndicatorDefinition {
	code: string;
	unit: string;
	unitAliases: string[];
	periodKind: PeriodKind;
	stockFlow: StockFlow | null;
}

export interface MappedFigure {
	unit: string;
	periodKind: PeriodKind;
	/** null: the source does not say whether the figure is a stock or a flow. */
	stockFlow?: StockFlow | null | undefined;
}

/** Why a figure does not fit: a catalogue key with its params (for the app) and the same in words (for the seed loader). */
export interface Misfit {
	key: 'error_indicator_unit' | 'error_indicator_period_kind' | 'error_indicator_stock_flow';
	params: Record<string, string | { key: string }>;
	reason: string;
}

const sameUnit = (unit: string) => unit.normalize('NFKC').replace(/\s/g, '');

export function indicatorMisfit(indicator: IndicatorDefinition, figure: MappedFigure): Misfit | null {
	const units = [indicator.unit, ...indicator.unitAliases];
	if (!units.map(sameUnit).includes(sameUnit(figure.unit)))
		return {
			key: 'error_indicator_unit',
			params: { unit: figure.unit, expected: units.join('・') },
			reason: `${indicator.code} counts in ${units.join(' or ')}, not ${figure.unit}`
		};
	if (figure.periodKind !== indicator.periodKind)
		return {
			key: 'error_indicator_period_kind',
			params: { expected: { key: `period_${indicator.periodKind}` } },
			reason: `${indicator.code} is by ${indicator.periodKind}, the figure by ${figure.periodKind}`
		};
	if (indicator.stockFlow && figure.stockFlow !== indicator.stockFlow)
		return {
			key: 'error_indicator_stock_flow',
			params: { expected: { key: `stock_flow_${indicator.stockFlow}` } },
			reason: `${indicator.code} is a ${indicator.stockFlow}, the figure is ${figure.stockFlow ? `a ${figure.stockFlow}` : 'not said to be either'}`
		};
	return null;
}
