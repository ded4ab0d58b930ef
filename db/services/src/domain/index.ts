export * from './municipality-code.ts';
export * from './fiscal-year.ts';
export * as fields from './fields.ts';
export * from './seed-schema.ts';
export * from './forms.ts';
