// A plan document's text → a proposed plan (preview), corrected and confirmed (all or nothing).
export * from './import.ts';
export { parsePlanDocument } from './parse.ts';
export type * from './types.ts';
export type { CategorySuggestion } from './categories.ts';
export type { Period } from './years.ts';
