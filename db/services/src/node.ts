// Node-only parts of @mamori/services: loading the seed files into the databases, demo accounts, backups.
export * from './seed/seed.ts';
export { readYaml, readCsv, type SeedProblem } from './seed/seed-files.ts';
export * from './seed/demo-accounts.ts';
export * from './backup/index.ts';
