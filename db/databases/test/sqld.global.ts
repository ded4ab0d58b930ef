// Starts one real sqld for a test project (random loopback ports, a fresh temporary folder)
// and stops it when the project ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSqld } from '../src/node.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		sqldHttpUrl: string;
		sqldAdminUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const dataDir = mkdtempSync(join(tmpdir(), 'mamori-sqld-'));
	const sqld = await startSqld({ dataDir, quiet: true });
	project.provide('sqldHttpUrl', sqld.httpUrl);
	project.provide('sqldAdminUrl', sqld.adminUrl);
	return async () => {
		await sqld.stop();
		rmSync(dataDir, { recursive: true, force: true });
	};
}
