// The yearly report (年次報告書) of a city's plan.
export * from './yearly-report.ts';
export * from './files.ts';
