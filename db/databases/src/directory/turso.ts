// Turso's Platform API (https://api.turso.tech): one database per tenant in a group.
// Databases are created and deleted with a Platform API token; the app connects to every
// database of the group with one group token (POST …/groups/{group}/auth/tokens).
// Verified only against a local server that answers as Turso's published API reference says.
import type { DatabaseLocation } from '../client.ts';
import { assertDatabaseName, DirectoryError, type TenantDirectory } from './index.ts';

export interface TursoDirectoryOptions {
	organization: string;
	group: string;
	/** Platform API token (turso auth api-tokens mint …). */
	apiToken: string;
	/** Group token used to connect to the tenant databases. */
	groupToken: string;
	/** Hostname suffix of the organization's databases: <db>-<org>.<region-free host>. */
	baseUrl?: string;
	fetch?: typeof fetch;
}

interface TursoDatabase {
	Name: string;
	DbId: string;
	Hostname: string;
}

export class TursoDirectory implements TenantDirectory {
	readonly kind = 'turso';
	readonly #options: TursoDirectoryOptions;
	readonly #hostnames = new Map<string, string>();
	constructor(options: TursoDirectoryOptions) {
		this.#options = options;
	}

	async #call(method: string, path: string, body?: unknown): Promise<Response> {
		const base = this.#options.baseUrl ?? 'https://api.turso.tech';
		const doFetch = this.#options.fetch ?? fetch;
		return doFetch(`${base}/v1/organizations/${encodeURIComponent(this.#options.organization)}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${this.#options.apiToken}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' })
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	}

	async #error(response: Response, what: string): Promise<DirectoryError> {
		let detail = response.statusText;
		try {
			const json = (await response.json()) as { error?: string };
			if (json.error) detail = json.error;
		} catch {
			/* not JSON: keep the status text */
		}
		return new DirectoryError(`Turso: ${what}: ${response.status} ${detail}`, response.status);
	}

	locate(name: string): DatabaseLocation {
		assertDatabaseName(name);
		const hostname = this.#hostnames.get(name) ?? `${name}-${this.#options.organization}.turso.io`;
		return { url: `libsql://${hostname}`, authToken: this.#options.groupToken };
	}

	async ensure(name: string): Promise<DatabaseLocation> {
		assertDatabaseName(name);
		let response = await this.#call('POST', '/databases', { name, group: this.#options.group });
		if (response.status === 409) {
			// Already there: read it back to learn its hostname.
			response = await this.#call('GET', `/databases/${encodeURIComponent(name)}`);
		}
		if (!response.ok) throw await this.#error(response, `could not create database ${name}`);
		const { database } = (await response.json()) as { database: TursoDatabase };
		this.#hostnames.set(name, database.Hostname);
		return this.locate(name);
	}

	async destroy(name: string): Promise<void> {
		assertDatabaseName(name);
		const response = await this.#call('DELETE', `/databases/${encodeURIComponent(name)}`);
		if (!response.ok && response.status !== 404) throw await this.#error(response, `could not delete database ${name}`);
		this.#hostnames.delete(name);
	}

	/** Mints a group token (full access unless read-only is asked), as the API documents. */
	async mintGroupToken(options: { expiration?: string; readOnly?: boolean } = {}): Promise<string> {
		const query = new URLSearchParams({
			expiration: options.expiration ?? 'never',
			authorization: options.readOnly ? 'read-only' : 'full-access'
		});
		const response = await this.#call(
			'POST',
			`/groups/${encodeURIComponent(this.#options.group)}/auth/tokens?${query}`
		);
		if (!response.ok) throw await this.#error(response, 'could not create a group token');
		const { jwt } = (await response.json()) as { jwt: string };
		return jwt;
	}
}
