import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTursoContractServer, type TursoContractServer } from '../../test/turso-contract.ts';
import { DirectoryError, TursoDirectory } from './index.ts';

describe('TursoDirectory against the Platform API contract', () => {
	let api: TursoContractServer;
	let directory: TursoDirectory;
	beforeAll(async () => {
		api = await startTursoContractServer({ organization: 'mamori', group: 'tenants', token: 'platform-token' });
		directory = new TursoDirectory({
			organization: 'mamori',
			group: 'tenants',
			apiToken: 'platform-token',
			groupToken: 'group-jwt',
			baseUrl: api.url
		});
	});
	afterAll(() => api.close());

	it('creates a database in the group and connects with the group token', async () => {
		const location = await directory.ensure('tenant-meguro');
		expect(api.requests.at(-1)).toEqual({
			method: 'POST',
			path: '/v1/organizations/mamori/databases',
			body: { name: 'tenant-meguro', group: 'tenants' }
		});
		expect(location).toEqual({
			url: 'libsql://tenant-meguro-mamori.aws-ap-northeast-1.turso.io',
			authToken: 'group-jwt'
		});
		expect(api.databases.get('tenant-meguro')?.group).toBe('tenants');
	});

	it('is idempotent: an existing database (409) is read back, not recreated', async () => {
		const location = await directory.ensure('tenant-meguro');
		expect(api.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/organizations/mamori/databases',
			'GET /v1/organizations/mamori/databases/tenant-meguro'
		]);
		expect(location.url).toBe('libsql://tenant-meguro-mamori.aws-ap-northeast-1.turso.io');
		expect(api.databases.size).toBe(1);
	});

	it('deletes a database; deleting one that is gone is not an error', async () => {
		await directory.destroy('tenant-meguro');
		expect(api.databases.has('tenant-meguro')).toBe(false);
		await expect(directory.destroy('tenant-meguro')).resolves.toBeUndefined();
	});

	it('mints a group token as the API documents', async () => {
		const jwt = await directory.mintGroupToken({ readOnly: true, expiration: '7d' });
		expect(api.requests.at(-1)?.path).toBe(
			'/v1/organizations/mamori/groups/tenants/auth/tokens?expiration=7d&authorization=read-only'
		);
		expect(jwt).toMatch(/^header\./);
	});

	it('reports a refused token clearly', async () => {
		const wrong = new TursoDirectory({
			organization: 'mamori',
			group: 'tenants',
			apiToken: 'nope',
			groupToken: 'x',
			baseUrl: api.url
		});
		const error = await wrong.ensure('tenant-x').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DirectoryError);
		expect((error as DirectoryError).status).toBe(401);
		expect((error as Error).message).toBe('Turso: could not create database tenant-x: 401 token is invalid');
	});

	it('refuses names that are not safe in a hostname before calling the API', async () => {
		const before = api.requests.length;
		await expect(directory.ensure('Tenant_Meguro')).rejects.toThrow(/invalid database name/);
		expect(api.requests.length).toBe(before);
	});
});
