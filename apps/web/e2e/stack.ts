// The stack this test file runs against (stack.global.ts starts one per worker slot). Vitest gives
// a running file a slot, VITEST_POOL_ID (1 … maxWorkers), that no other file holds until it ends:
// so a file's writes to the seeded data meet no test but those of the files after it on its slot.
import { inject } from 'vitest';

const stacks = inject('stacks');
const slot = Number(process.env.VITEST_POOL_ID ?? 1);
const stack = stacks[slot - 1];
if (!stack) throw new Error(`No stack for worker slot ${slot}: the browser project started ${stacks.length}.`);

export const { appUrl, apiUrl, coreUrl, sqldHttpUrl } = stack;
