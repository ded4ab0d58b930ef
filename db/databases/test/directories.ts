// The two directories tests run against: embedded files and the real sqld of the test project.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { EmbeddedDirectory, SqldDirectory, type TenantDirectory } from '../src/node.ts';

export function sqldDirectory(): SqldDirectory {
	return new SqldDirectory({ httpUrl: inject('sqldHttpUrl'), adminUrl: inject('sqldAdminUrl') });
}

export function embeddedDirectory(): EmbeddedDirectory {
	return new EmbeddedDirectory(mkdtempSync(join(tmpdir(), 'mamori-embedded-')));
}

export const directoryModes: [string, () => TenantDirectory][] = [
	['embedded', embeddedDirectory],
	['sqld', sqldDirectory]
];

/** A database name no other test uses (sqld is shared by the whole project). */
export function uniqueName(prefix: string): string {
	return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
