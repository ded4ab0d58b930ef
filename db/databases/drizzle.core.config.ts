import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	dialect: 'turso',
	schema: ['./db/databases/src/core/schema.ts', './db/databases/src/core/benchmarks.ts'],
	out: './db/databases/migrations/core'
});
