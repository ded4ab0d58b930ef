import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { paraglide } from './apps/web/paraglide.config.ts';

export default defineConfig({
	test: {
		// The JSON report lets .ci/run print a plain "N passed, N failed" closing line; npm test runs
		// its lanes with a report each (MAMORI_VITEST_REPORT) and merges them into this one.
		reporters: ['default', ['json', { outputFile: process.env.MAMORI_VITEST_REPORT ?? 'test-results/vitest.json' }]],
		projects: [
			{
				// Unit tests, and integration tests against a real sqld and embedded libSQL files. The
				// Paraglide plugin compiles the web app's messages for the tests that import them.
				plugins: [paraglide()],
				resolve: { alias: { $lib: fileURLToPath(new URL('./apps/web/src/lib', import.meta.url)) } },
				test: {
					name: 'node',
					environment: 'node',
					include: ['db/**/*.test.ts', 'apps/web/src/**/*.test.ts', 'apps/web/scripts/**/*.test.ts'],
					globalSetup: ['db/databases/test/sqld.global.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				// Worker code inside workerd, reading a real sqld.
				plugins: [cloudflareTest({ wrangler: { configPath: './workers/api/wrangler.toml' } })],
				test: {
					name: 'workers',
					include: ['workers/**/*.test.ts'],
					globalSetup: ['workers/api/test/core.global.ts'],
					// As the node project: a sign-in is a real scrypt, and the machine may be busy.
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				// A real browser (Debian's chromium) against the built app in workerd with sqld data. Two
				// files at a time, each on a stack of its own (stack.global.ts starts one per worker), so
				// no two running files share seeded data; `--maxWorkers 1` runs them on one stack. Its own
				// group, so that a run of every project gives it its own number of workers.
				test: {
					name: 'browser',
					environment: 'node',
					include: ['apps/web/e2e/**/*.test.ts'],
					globalSetup: ['apps/web/e2e/stack.global.ts'],
					maxWorkers: 2,
					sequence: { groupOrder: 1 },
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
