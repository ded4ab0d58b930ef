// Node-only parts of @mamori/db: embedded files, the sqld process, the fleet migrator, seeding.
export { SqldDirectory, TursoDirectory, type TenantDirectory } from './directory/index.ts';
export { EmbeddedDirectory } from './node/embedded-directory.ts';
export { startSqld, freePort, type SqldServer } from './node/sqld.ts';
export * from './node/fleet.ts';
export * from './node/env.ts';
export * from './node/seed.ts';
export { readYaml, readCsv, type SeedProblem } from './node/seed-files.ts';
export * from './node/demo-accounts.ts';
export { bundleFolder, renderBundle } from './node/migration-bundle.ts';
