// API tokens, as 小金井市's admin without JavaScript, through the real forms: a token is created
// (the stored row has the chosen name, scope, department and expiry, and only the secret's
// SHA-256), shown once, used against the API worker (its last use then shown), and revoked (the
// API then refuses it); a refused form stores nothing; only the city's admin reaches the page.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCore, openTenant } from '@mamori/db';
import { get, signInCookie } from './http.ts';
import { pagePerTest } from './pages.ts';
import { storedRow, storedRows } from './stored.ts';
import { apiUrl, appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const koganei = openTenant({ url: `${sqldHttpUrl}/dev/tenant-koganei/` }).$client;
const ADMIN = 'admin@koganei.example';
const DAY = 24 * 60 * 60 * 1000;

const tokensOfKoganei = () =>
	storedRows(
		core,
		"SELECT a.* FROM api_tokens a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = 'koganei' ORDER BY a.id"
	);

describe('API tokens of a city (JS off)', () => {
	const created: string[] = [];
	const open = pagePerTest(async () => {
		// The stack is shared: leave it as found.
		for (const id of created) await core.execute({ sql: 'DELETE FROM api_tokens WHERE id = ?', args: [id] });
		core.close();
		koganei.close();
	});

	it('creates a token shown once, stores only its hash, shows its last use, and revokes it', async () => {
		const department = (await storedRow(
			koganei,
			'SELECT id, name FROM departments WHERE deleted_at IS NULL ORDER BY name LIMIT 1'
		)) as { id: string; name: string };
		const page = await open(ADMIN, false);
		await page.goto(`${appUrl}/koganei/api-tokens`);
		const before = await tokensOfKoganei();

		const name = `市のウェブサイト ${Date.now()}`;
		await page.locator('#token-name').fill(name);
		await page.locator('#token-scope').selectOption({ label: '読み取りと書き込み（年度の記録・数値・成果指標の値）' });
		await page
			.locator('section[aria-labelledby=create-title]')
			.getByRole('checkbox', { name: department.name })
			.check();
		await page.locator('#token-lifetimeDays').selectOption('30');
		await page.getByRole('button', { name: '作成する' }).click();

		const token = (await page.locator('[data-token]').textContent())!.trim();
		expect(token).toMatch(/^mamori_[a-km-z2-9]{24}\.[a-km-z2-9]{24}$/);
		await expect(page.locator('[role=status]').first().textContent()).resolves.toContain(
			`トークン「${name}」を作成しました`
		);

		const after = await tokensOfKoganei();
		const added = after.filter((row) => !before.some((b) => b.id === row.id));
		expect(added).toHaveLength(1);
		const row = added[0]!;
		created.push(String(row.id));
		const [id, secret] = token.slice('mamori_'.length).split('.');
		expect(row).toMatchObject({
			id,
			name,
			scope: 'write',
			department_ids: JSON.stringify([department.id]),
			secret_hash: createHash('sha256').update(secret!).digest('hex'),
			revoked_at: null,
			last_used_at: null
		});
		expect(Number(row.expires_at) - Number(row.created_at)).toBe(30 * DAY);
		expect(JSON.stringify(after)).not.toContain(secret);
		// Nothing else changed: the rows that were there are as they were.
		expect(after.filter((r) => r.id !== row.id)).toEqual(before);

		// Shown once: the page, loaded again, lists the token without it.
		await page.goto(`${appUrl}/koganei/api-tokens`);
		await expect(page.locator('[data-token]').count()).resolves.toBe(0);
		const listed = page.locator('tr').filter({ hasText: name });
		await expect(listed.textContent()).resolves.toContain('未使用');
		expect(await page.content()).not.toContain(secret);

		// The API worker beside the app takes it: the city's plan reads, and its last use is shown.
		const read = () => fetch(`${apiUrl}/v1/cities/koganei/kpis`, { headers: { authorization: `Bearer ${token}` } });
		expect((await read()).status).toBe(200);
		await page.goto(`${appUrl}/koganei/api-tokens`);
		await expect(page.locator('tr').filter({ hasText: name }).textContent()).resolves.not.toContain('未使用');

		await listed.getByRole('button', { name: '失効させる' }).click();
		await expect(page.locator('[role=status]').first().textContent()).resolves.toContain('失効させました');
		await expect(page.locator('tr').filter({ hasText: name }).textContent()).resolves.toContain('失効済み');
		const revoked = await storedRow(core, 'SELECT * FROM api_tokens WHERE id = ?', [id]);
		expect(revoked!.revoked_at).not.toBeNull();
		expect(revoked!.last_used_at).not.toBeNull();
		expect({ ...revoked, revoked_at: null, last_used_at: null }).toEqual(row);
		// Revoked, it is refused at once.
		const refused = await read();
		expect(refused.status).toBe(401);
		expect(((await refused.json()) as { reason: string }).reason).toBe('unauthenticated');
	});

	it('a refused form keeps what was typed and stores nothing', async () => {
		const page = await open(ADMIN, false);
		await page.goto(`${appUrl}/koganei/api-tokens`);
		const before = await tokensOfKoganei();
		await page.locator('#token-scope').selectOption('write');
		await page.locator('#token-name').fill('  ');
		await page.locator('#token-lifetimeDays').selectOption('180');
		// The browser's own check of `required` would stop an empty name; blanks reach the server.
		await page.getByRole('button', { name: '作成する' }).click();
		await expect(page.locator('#token-name').getAttribute('aria-invalid')).resolves.toBe('true');
		await expect(page.locator('main').textContent()).resolves.toContain('トークンの名前');
		await expect(page.locator('#token-scope').inputValue()).resolves.toBe('write');
		await expect(page.locator('#token-lifetimeDays').inputValue()).resolves.toBe('180');
		await expect(page.locator('[data-token]').count()).resolves.toBe(0);
		expect(await tokensOfKoganei()).toEqual(before);
	});

	it('only the city’s admin reaches the page', async () => {
		const editor = await signInCookie(appUrl, 'editor@koganei.example');
		const answer = await get(appUrl, '/koganei/api-tokens', editor);
		expect([403, 303]).toContain(answer.status);
		expect(await answer.text()).not.toContain('mamori_');
	});
});
