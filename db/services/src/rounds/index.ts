// Yearly reporting rounds: tasks per initiative × department, review, reminders, comments.
export * from './staff.ts';
export * from './rollup.ts';
export * from './comments.ts';
