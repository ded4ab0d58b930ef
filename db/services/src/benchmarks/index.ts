export * from './compute.ts';
export * from './collect.ts';
export * from './publish.ts';
export * from './views.ts';
export * from './verify.ts';
