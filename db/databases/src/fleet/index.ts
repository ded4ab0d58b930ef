// What every fleet job shares, at the edge too (the API worker's crons) and in Node (the migrator,
// the backup): one bounded pool and one retry of transient failures.
export { eachBounded } from './pool.ts';
export { withRetry, isTransient, type RetryOptions } from './retry.ts';
