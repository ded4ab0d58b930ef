// sqld (the libSQL server Turso runs) with namespaces: one namespace per tenant database,
// created and deleted through its admin API, reached by path (/dev/<namespace>/).
import type { DatabaseLocation } from '../client.ts';
import { assertDatabaseName, DirectoryError, type TenantDirectory } from './index.ts';

export interface SqldDirectoryOptions {
	/** e.g. http://localhost:8080 — the host must contain no dot (sqld reads it as a namespace). */
	httpUrl: string;
	/** e.g. http://127.0.0.1:9090 */
	adminUrl: string;
	authToken?: string;
	fetch?: typeof fetch;
}

export class SqldDirectory implements TenantDirectory {
	readonly kind = 'sqld';
	readonly #options: SqldDirectoryOptions;
	constructor(options: SqldDirectoryOptions) {
		this.#options = options;
	}

	locate(name: string): DatabaseLocation {
		assertDatabaseName(name);
		return { url: `${this.#options.httpUrl.replace(/\/$/, '')}/dev/${name}/`, authToken: this.#options.authToken };
	}

	async ensure(name: string): Promise<DatabaseLocation> {
		assertDatabaseName(name);
		const doFetch = this.#options.fetch ?? fetch;
		const response = await doFetch(`${this.#options.adminUrl}/v1/namespaces/${name}/create`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}'
		});
		if (!response.ok) {
			const body = await response.text();
			// sqld answers 400 with "already exists" when the namespace is there: that is success here.
			if (!/already exists/i.test(body))
				throw new DirectoryError(
					`sqld could not create namespace ${name}: ${response.status} ${body}`,
					response.status
				);
		}
		return this.locate(name);
	}

	async destroy(name: string): Promise<void> {
		assertDatabaseName(name);
		const doFetch = this.#options.fetch ?? fetch;
		const response = await doFetch(`${this.#options.adminUrl}/v1/namespaces/${name}`, { method: 'DELETE' });
		if (!response.ok && response.status !== 404) {
			const body = await response.text();
			if (!/does not exist|not found/i.test(body))
				throw new DirectoryError(
					`sqld could not delete namespace ${name}: ${response.status} ${body}`,
					response.status
				);
		}
	}
}
