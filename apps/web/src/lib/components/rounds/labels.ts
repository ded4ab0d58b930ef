// The words of a reporting round: task states, and progress statuses in the city's own words when
// its round names them (a city may call 実施 「実施済」).
import type { ProgressLabels, ProgressStatus } from '@mamori/services/rounds';
import { m } from '$lib/paraglide/messages';

const progressWords: Record<ProgressStatus, () => string> = {
	done: m.progress_done,
	partial: m.progress_partial,
	not_done: m.progress_not_done,
	completed: m.progress_completed,
	cancelled: m.progress_cancelled
};
export const progressStatuses = Object.keys(progressWords) as ProgressStatus[];

export const progressLabel = (status: ProgressStatus, own?: ProgressLabels | null) =>
	own?.[status] ?? progressWords[status]();

const stateWords = {
	open: m.task_state_open,
	draft: m.task_state_draft,
	submitted: m.task_state_submitted,
	returned: m.task_state_returned,
	approved: m.task_state_approved
} as const;

export const taskStateLabel = (state: keyof typeof stateWords) => stateWords[state]();
