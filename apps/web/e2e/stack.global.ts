// Starts the stacks the browser tests run against: sqld, migrations, seed, and the built app and
// the API worker in workerd on random loopback ports. One stack per worker slot of the project
// (its maxWorkers): the tests write to the seeded data, so two files that run at the same time
// never share a stack (stack.ts picks a file's). Needs `npm run build` first (npm test does it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '@mamori/db/node';
import { repoRoot, startStack, type Stack } from '../scripts/stack.ts';

/** Where a test file finds its stack. */
export interface StackUrls {
	appUrl: string;
	apiUrl: string;
	coreUrl: string;
	sqldHttpUrl: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** One per worker slot: stacks[VITEST_POOL_ID - 1]. */
		stacks: StackUrls[];
	}
}

export default async function setup(project: TestProject) {
	if (!existsSync(join(repoRoot, 'apps/web/.svelte-kit/cloudflare/_worker.js')))
		throw new Error('The web app is not built: run `npm run build` first (npm test does).');
	const started: { stack: Stack; dataDir: string }[] = [];
	const stop = () =>
		Promise.all(
			started.map(async ({ stack, dataDir }) => {
				await stack.stop();
				rmSync(dataDir, { recursive: true, force: true });
			})
		);
	try {
		// One after the other: a stack's start (migrations, seed, two wranglers' cold start) is
		// mostly CPU, and two at once on a busy machine would come nearer wrangler's start limit.
		for (let slot = 0; slot < project.config.maxWorkers; slot++) {
			const dataDir = mkdtempSync(join(tmpdir(), 'mamori-e2e-'));
			try {
				const stack = await startStack({ port: await freePort(), apiPort: await freePort(), dataDir });
				started.push({ stack, dataDir });
			} catch (error) {
				rmSync(dataDir, { recursive: true, force: true });
				throw error;
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}
	project.provide(
		'stacks',
		started.map(({ stack }) => ({
			appUrl: stack.url,
			apiUrl: stack.apiUrl!,
			coreUrl: stack.coreUrl,
			sqldHttpUrl: stack.sqld.httpUrl
		}))
	);
	return stop;
}
