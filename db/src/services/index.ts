export * from './tenants.ts';
export * from './plan.ts';
export * from './shared.ts';
