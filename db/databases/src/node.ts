// Node-only parts of @mamori/db: embedded files, the sqld process, the fleet migrator.
export { SqldDirectory, TursoDirectory, type TenantDirectory } from './directory/index.ts';
export { EmbeddedDirectory } from './node/embedded-directory.ts';
export { startSqld, freePort, type SqldServer } from './node/sqld.ts';
export * from './node/fleet.ts';
export { eachBounded } from './fleet/pool.ts';
export { withRetry, isTransient, type RetryOptions } from './fleet/retry.ts';
export * from './node/env.ts';
export { bundleFolder, renderBundle } from './node/migration-bundle.ts';
