// Turns a drizzle migration folder into a bundle (db/src/migrations/apply.ts), read exactly as
// drizzle's own readMigrationFiles reads it. `npm run db:bundle` writes the committed bundle.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundledMigration } from '../migrations/apply.ts';

export function bundleFolder(folder: string): BundledMigration[] {
	const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as {
		entries: { tag: string; when: number }[];
	};
	return journal.entries.map((entry) => {
		const query = readFileSync(join(folder, `${entry.tag}.sql`)).toString();
		return {
			tag: entry.tag,
			folderMillis: entry.when,
			hash: createHash('sha256').update(query).digest('hex'),
			sql: query.split('--> statement-breakpoint')
		};
	});
}

/** The source of a bundle module, formatted as the repository's prettier config wants it. */
export async function renderBundle(exportName: string, folderLabel: string, migrations: BundledMigration[]) {
	const prettier = await import('prettier');
	const source = [
		`// Generated from ${folderLabel} by \`npm run db:bundle\`: do not edit. A test checks it matches the folder.`,
		`import type { BundledMigration } from './apply.ts';`,
		'',
		`export const ${exportName}: BundledMigration[] = ${JSON.stringify(migrations, null, '\t')};`,
		''
	].join('\n');
	const config = (await prettier.resolveConfig(join(folderLabel, 'x.ts'))) ?? {};
	return prettier.format(source, { ...config, parser: 'typescript' });
}
