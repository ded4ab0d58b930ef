import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	dialect: 'turso',
	schema: './db/databases/src/tenant/schema.ts',
	out: './db/databases/migrations/tenant'
});
