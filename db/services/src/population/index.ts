// Populations of every municipality, per reference date: the operator's import of the yearly table.
export * from './import.ts';
export type { TableProblem } from './layout.ts';
