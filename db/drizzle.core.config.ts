import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	dialect: 'turso',
	schema: ['./db/src/core/schema.ts', './db/src/core/benchmarks.ts'],
	out: './db/migrations/core'
});
