// Spreadsheets in and out (XLSX and CSV), for every import and template.
export * from './read.ts';
export * from './write.ts';
