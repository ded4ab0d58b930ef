import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	dialect: 'turso',
	schema: './db/src/tenant/schema.ts',
	out: './db/migrations/tenant'
});
