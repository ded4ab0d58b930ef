// The plan as a spreadsheet: a prefilled template, and the import of an edited one (preview, confirm).
export * from './import.ts';
export type { SheetProblem, SheetKind } from './layout.ts';
export type { RowChange } from './proposal.ts';
