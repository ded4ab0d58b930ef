// Yearly reporting rounds: tasks per initiative × department, review, reminders, comments.
export * from './staff.ts';
export * from './rounds.ts';
export * from './locks.ts';
export * from './reminders.ts';
export type { ProgressLabels, ProgressStatus, TaskMetric } from '@mamori/db/tenant';
export * from './rollup.ts';
export * from './comments.ts';
