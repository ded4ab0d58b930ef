// The words of the roll-up's statuses: the city's own (from the year's reporting round) where it
// chose some, else the default ones; 未報告 is the app's, never a city's.
import type { ProgressLabels, RollupStatus } from '@mamori/services/rounds';
import { m } from '$lib/paraglide/messages';

const defaults: Record<RollupStatus, () => string> = {
	not_done: m.rollup_status_not_done,
	partial: m.rollup_status_partial,
	done: m.rollup_status_done,
	completed: m.rollup_status_completed,
	cancelled: m.rollup_status_cancelled,
	unreported: m.rollup_status_unreported
};

export type StatusWords = Record<RollupStatus, string>;

export function statusWords(labels: ProgressLabels): StatusWords {
	const own = labels as Partial<Record<RollupStatus, string>>;
	return Object.fromEntries(
		Object.entries(defaults).map(([status, word]) => [
			status,
			(status !== 'unreported' && own[status as RollupStatus]?.trim()) || word()
		])
	) as StatusWords;
}
