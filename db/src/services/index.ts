export * from './tenants.ts';
export * from './plan.ts';
