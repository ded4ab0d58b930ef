// How a value says what it is: its status beside it unless final, and the period kind of a KPI's
// baseline and target named when they differ (令和2年（2020）（暦年） → 令和13年度（2031）).
import { periodLabel } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

type Status = 'final' | 'provisional' | 'planned' | 'unknown';
type Kind = 'fiscal_year' | 'calendar_year' | null;

const words: Record<Exclude<Status, 'final'>, () => string> = {
	provisional: m.value_provisional,
	planned: m.value_planned,
	unknown: m.value_unknown
};

/** The status in words when it is not final; null for a final value (or none). */
export function statusWord(status: Status | null | undefined): string | null {
	return status && status !== 'final' ? words[status]() : null;
}

/** A KPI's baseline and target periods; each names its kind when the two kinds differ. */
export function kpiPeriods(
	locale: Locale,
	k: { baselinePeriodKind: Kind; baselineYear: number | null; targetPeriodKind: Kind; targetYear: number | null }
): { baseline: string; target: string } {
	const mixed =
		k.baselineYear !== null &&
		k.targetYear !== null &&
		(k.baselinePeriodKind ?? 'fiscal_year') !== (k.targetPeriodKind ?? 'fiscal_year');
	const label = (kind: Kind, year: number | null) => {
		const text = periodLabel(locale, kind, year);
		return mixed && kind === 'calendar_year' ? `${text}${m.period_calendar_marker()}` : text;
	};
	return { baseline: label(k.baselinePeriodKind, k.baselineYear), target: label(k.targetPeriodKind, k.targetYear) };
}
