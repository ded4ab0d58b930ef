export * from './client.ts';
export { newId } from './id.ts';
