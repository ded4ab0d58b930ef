// The words of the roll-up's statuses: the rounds' words for a progress (the city's own where its
// round names them), and 未報告 for an initiative with none, which is the app's, never a city's.
import type { ProgressLabels, RollupStatus } from '@mamori/services/rounds';
import { progressLabel, progressStatuses } from '$lib/components/rounds/labels';
import { m } from '$lib/paraglide/messages';

export type StatusWords = Record<RollupStatus, string>;

export function statusWords(labels: ProgressLabels): StatusWords {
	return {
		...(Object.fromEntries(progressStatuses.map((s) => [s, progressLabel(s, labels)])) as Omit<
			StatusWords,
			'unreported'
		>),
		unreported: m.rollup_status_unreported()
	};
}
