// Embedded libSQL files, one per tenant database: quick development and unit tests (Node only).
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatabaseLocation } from '../client.ts';
import { assertDatabaseName, type TenantDirectory } from '../directory/index.ts';

export class EmbeddedDirectory implements TenantDirectory {
	readonly kind = 'embedded';
	readonly #dir: string;
	constructor(dir: string) {
		this.#dir = resolve(dir);
	}

	locate(name: string): DatabaseLocation {
		assertDatabaseName(name);
		return { url: pathToFileURL(join(this.#dir, `${name}.db`)).href };
	}

	async ensure(name: string): Promise<DatabaseLocation> {
		await mkdir(this.#dir, { recursive: true });
		return this.locate(name); // libSQL creates the file on first connection
	}

	async destroy(name: string): Promise<void> {
		assertDatabaseName(name);
		for (const suffix of ['.db', '.db-wal', '.db-shm']) await rm(join(this.#dir, `${name}${suffix}`), { force: true });
	}
}
