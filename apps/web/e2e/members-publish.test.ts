// Members and publishing, as 苫小牧市's admin, with JavaScript off and on: re-inviting an address
// replaces its live invitation; a refused invitation keeps the chosen role and departments;
// publishing and withdrawing are confirmed first, then the page says what is published.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openCore, openTenant } from '@mamori/db';
import { untilEnhanced } from './browser.ts';
import { get, invitedMember, mailedLink, signInCookie } from './http.ts';
import { pagePerTest } from './pages.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const tomakomai = openTenant({ url: `${sqldHttpUrl}/dev/tenant-tomakomai/` }).$client;
const ADMIN = 'admin@tomakomai.example';
const DEPARTMENT = '都市建設部維持課';

const invitationsOf = async (email: string) =>
	(await core.execute({ sql: 'SELECT role FROM invitations WHERE email = ? AND accepted_at IS NULL', args: [email] }))
		.rows;

async function publication(fiscalYear: number) {
	const { rows } = await core.execute({
		sql: "SELECT p.published_at AS at FROM benchmark_publications p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'tomakomai' AND p.fiscal_year = ?",
		args: [fiscalYear]
	});
	return rows[0]?.at ?? null;
}

describe('members and publishing (JS off and on)', () => {
	const openAs = pagePerTest(() => {
		core.close();
		tomakomai.close();
	});
	const open = (javaScriptEnabled: boolean) => openAs(ADMIN, javaScriptEnabled);
	const invite = async (page: Page, email: string, role: string) => {
		await page.locator('#invite-email').fill(email);
		await page.locator('#invite-role').selectOption({ label: role });
		await page.getByRole('button', { name: '招待メールを送る' }).click();
	};

	for (const javaScriptEnabled of [false, true]) {
		const mode = javaScriptEnabled ? 'JS on' : 'JS off';

		it(`re-inviting an address replaces its live invitation (${mode})`, async () => {
			const email = `again-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}@example.jp`;
			const page = await open(javaScriptEnabled);
			const operator = await signInCookie(appUrl, 'operator@mamori.example');
			await page.goto(`${appUrl}/tomakomai/members`);
			await invite(page, email, '閲覧者');
			await untilText(page.locator('[role=status]').first(), email);
			const first = await mailedLink(appUrl, operator, email, '/invite/');
			await invite(page, email, '編集者');
			await untilText(page.locator('.pending'), `${email}（編集者）`);
			const second = await mailedLink(appUrl, operator, email, '/invite/');
			expect(second).not.toBe(first);
			await expect(page.locator('.pending li').filter({ hasText: email }).count()).resolves.toBe(1);
			expect(await invitationsOf(email)).toEqual([expect.objectContaining({ role: 'editor' })]);
			const old = await (await get(appUrl, new URL(first).pathname)).text();
			expect(old).toContain('この招待は無効か');
			const live = await (await get(appUrl, new URL(second).pathname)).text();
			expect(live).not.toContain('この招待は無効か');
		});

		it(`a refused invitation keeps the chosen role and departments (${mode})`, async () => {
			const page = await open(javaScriptEnabled);
			await page.goto(`${appUrl}/tomakomai/members`);
			// The invitation's boxes (each member's row has its own too).
			const panel = page.locator('section[aria-labelledby=invite-title]');
			await panel.getByRole('checkbox', { name: DEPARTMENT }).check();
			await invite(page, ADMIN, '編集者');
			await untilText(page.locator('main'), 'このメールアドレスの方はすでにメンバーです。');
			await expect(page.locator('#invite-role').inputValue()).resolves.toBe('editor');
			await expect(panel.getByRole('checkbox', { name: DEPARTMENT }).isChecked()).resolves.toBe(true);
			await expect(page.locator('#invite-email').inputValue()).resolves.toBe(ADMIN);
			expect(await invitationsOf(ADMIN)).toEqual([]);
		});

		it(`an admin limits an editor to a department, recorded in the city’s history (${mode})`, async () => {
			const email = `limited-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}@example.jp`;
			await invitedMember(appUrl, { city: 'tomakomai', email, role: 'editor', password: 'a good passphrase 7' });
			const page = await open(javaScriptEnabled);
			await page.goto(`${appUrl}/tomakomai/members`);
			const row = page.locator('tr', { hasText: email });
			// Folded, one line per member; opened once the app has run its effects (it would fold it back).
			if (javaScriptEnabled) await untilEnhanced(row.locator('form').first());
			await row.getByText('権限・担当課を変更する').click();
			await row.getByRole('checkbox', { name: DEPARTMENT }).check();
			await row.getByRole('button', { name: '権限を変更' }).click();
			await untilText(page.locator('tr', { hasText: email }), `担当課を限定: ${DEPARTMENT}`);
			const { rows } = await core.execute({
				sql: 'SELECT u.id, m.department_ids FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?',
				args: [email]
			});
			const member = rows[0]!;
			expect(JSON.parse(String(member.department_ids))).toHaveLength(1);
			const history = await tomakomai.execute({
				sql: "SELECT after FROM audit_log WHERE entity = 'member' AND entity_id = ?",
				args: [String(member.id)]
			});
			expect(String(history.rows[0]?.after)).toContain(DEPARTMENT);
			// Nothing ticked: every department again (without JavaScript the page came back folded).
			const access = page.locator('tr', { hasText: email }).locator('details');
			if (!(await access.evaluate((d) => (d as HTMLDetailsElement).open)))
				await access.getByText('権限・担当課を変更する').click();
			await page.locator('tr', { hasText: email }).getByRole('checkbox', { name: DEPARTMENT }).uncheck();
			await page.locator('tr', { hasText: email }).getByRole('button', { name: '権限を変更' }).click();
			// The row no longer says so once the page has the answer (the change is written by then).
			await page.locator('tr', { hasText: email }).filter({ hasText: '担当課を限定' }).waitFor({ state: 'detached' });
			const after = await core.execute({
				sql: 'SELECT department_ids FROM memberships WHERE user_id = ?',
				args: [String(member.id)]
			});
			expect(after.rows[0]?.department_ids).toBeNull();
		});

		it(`publishing asks first, then says what is published (${mode})`, async () => {
			const page = await open(javaScriptEnabled);
			await page.goto(`${appUrl}/tomakomai/benchmarks`);
			const year = Number(await page.locator('select[name=year]').inputValue());
			const before = await publication(year);
			await page.getByRole('button', { name: /この内容で公表する|最新の内容で公表し直す/ }).click();
			await untilText(page.locator('#confirm-heading'), 'の数値を公表します。よろしいですか。');
			expect(page.url()).toContain('confirm=publish');
			expect(await publication(year)).toEqual(before); // nothing yet
			await page.getByRole('button', { name: '公表する', exact: true }).click();
			await untilText(page.locator('[role=status]').first(), 'の数値を公表しました。');
			await untilText(page.locator('.published'), 'から公表しています');
			// The confirmation is over: it is not offered again, with JavaScript or without.
			expect(page.url()).not.toContain('confirm=');
			expect(await page.locator('#confirm-heading').count()).toBe(0);
			const after = await publication(year);
			expect(after).not.toBeNull();
			expect(Number(after)).toBeGreaterThan(Number(before ?? 0));
		});

		it(`withdrawing asks first; やめる changes nothing (${mode})`, async () => {
			const page = await open(javaScriptEnabled);
			await page.goto(`${appUrl}/tomakomai/benchmarks`);
			const year = Number(await page.locator('select[name=year]').inputValue());
			expect(await publication(year)).not.toBeNull();
			await page.getByRole('button', { name: '公表を取り下げる' }).click();
			await untilText(page.locator('#confirm-heading'), 'の公表を取り下げます。よろしいですか。');
			await page.getByRole('button', { name: 'やめる' }).click();
			await page.getByRole('button', { name: '公表を取り下げる' }).waitFor();
			expect(await publication(year)).not.toBeNull();
			await page.getByRole('button', { name: '公表を取り下げる' }).click();
			await page.getByRole('button', { name: '取り下げる', exact: true }).click();
			await untilText(page.locator('[role=status]').first(), 'の公表を取り下げました。');
			await untilText(page.locator('main'), 'この年度の数値はまだ公表していません。');
			expect(await publication(year)).toBeNull();
		});
	}
});
