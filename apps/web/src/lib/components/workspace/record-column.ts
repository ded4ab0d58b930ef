// A yearly record's column as its plan heads it: 小金井市's 「平成30年度（2018）の取組み」, 苫小牧市's
// 「令和5年度（2023） 事業概要」. A programme summary (事業概要) is never called results (実績).
import type { InitiativeDetail } from '@mamori/services';
import { fiscalYearLabel } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

type RecordColumns = InitiativeDetail['recordColumns'];

const phaseWords: Record<string, () => string> = {
	actual: m.phase_actual,
	plan: m.phase_plan,
	summary: m.phase_summary
};

/** The phase in the app's words: 実績, 予定, 事業概要. */
export const phaseName = (phase: unknown): string => (phaseWords[String(phase)] ?? m.phase_actual)();

/** The heading of a record column: the plan's own words in Japanese, else the year and the phase's name. */
export function recordColumnLabel(
	columns: RecordColumns | undefined,
	fiscalYear: number,
	phase: keyof RecordColumns,
	locale: Locale
): string {
	const own = locale === 'ja' ? columns?.[phase] : undefined;
	const year = fiscalYearLabel(fiscalYear, locale);
	return own ? own.replace('{year}', year) : `${year} ${phaseName(phase)}`;
}
