// Comments on an initiative, in the browser, with JavaScript off and on: a comment with a mention
// is stored, shown in the list, and mailed to the mentioned department's staff (the outbox). The
// editor limited to 地域安全課 comments on another department's initiative: any editor may.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDatabases } from './dump.ts';
import { pagePerTest } from './pages.ts';
import { storedRow } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);
const city = (sql: string, args: unknown[] = []) => storedRow(databases.koganei, sql, args);

describe('comments on an initiative, with a mention (running stack)', () => {
	const open = pagePerTest(() => {
		for (const db of Object.values(databases)) db.close();
	});

	/** Writes a comment naming `department` on 学校等における安全対策 and waits for the notice. */
	async function comment(page: Page, body: string, department: string) {
		const item = (await city("SELECT id FROM initiatives WHERE title = '学校等における安全対策'"))!;
		await page.goto(`${appUrl}/koganei/initiatives/${String(item.id)}`);
		const form = page.locator('form[action="?/comment"]');
		await form.locator('#comment-body').fill(body);
		await form.getByLabel(department, { exact: true }).check();
		await form.locator('button[type=submit]').click();
		await untilText(page.locator('[role=status]'), 'コメントを投稿しました。');
		await untilText(page.locator('.comments li').last(), body);
		return { form, initiativeId: String(item.id) };
	}

	/** The mail to `to` about the comment `body` (written after the answer: waited for). */
	const mailTo = async (to: string, body: string) => {
		let mail: Record<string, unknown> | undefined;
		await expect
			.poll(
				async () =>
					(mail = await storedRow(databases.core, 'SELECT * FROM mail_outbox WHERE "to" = ? AND body LIKE ?', [
						to,
						`%${body}%`
					])),
				{ timeout: 15_000 }
			)
			.toBeDefined();
		return mail!;
	};

	for (const javaScriptEnabled of [false, true])
		it(`the admin comments naming 地域安全課: stored, shown, and mailed to its editor (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
			const body = `e2e コメント（JS ${javaScriptEnabled ? 'on' : 'off'}）\n二行目`;
			const page = await open('admin@koganei.example', javaScriptEnabled);
			const { form, initiativeId } = await comment(page, body, '地域安全課');
			const safety = (await city("SELECT id FROM departments WHERE name = '地域安全課'"))!.id;
			const stored = await city('SELECT * FROM comments WHERE body = ?', [body]);
			expect(stored).toMatchObject({
				initiative_id: initiativeId,
				actor_email: 'admin@koganei.example',
				actor_role: 'admin',
				kind: 'comment',
				mentions: JSON.stringify([safety])
			});
			await untilText(page.locator('.comments li').last(), '知らせた担当課：地域安全課');
			await untilText(page.locator('.comments li').last(), 'admin@koganei.example（管理者）');
			// The form is empty again for the next comment.
			expect(await form.locator('#comment-body').inputValue()).toBe('');
			const mail = await mailTo('editor-bouhan@koganei.example', body);
			expect(mail.subject).toBe('【小金井市】「学校等における安全対策」にコメントがありました');
			expect(String(mail.body)).toContain(`/koganei/initiatives/${initiativeId}`);
		});

	it('the editor limited to 地域安全課 comments on another department’s initiative, naming 指導室 (its mail goes to the admins)', async () => {
		const body = 'e2e 地域安全課からのコメント';
		const page = await open('editor-bouhan@koganei.example', true);
		await comment(page, body, '指導室');
		expect(await city('SELECT actor_email, actor_role FROM comments WHERE body = ?', [body])).toEqual({
			actor_email: 'editor-bouhan@koganei.example',
			actor_role: 'editor'
		});
		// Nobody is limited to 指導室: the city's admins answer for it.
		await mailTo('admin@koganei.example', body);
	});

	it('a viewer reads the comments and is offered no form', async () => {
		const page = await open('viewer@koganei.example', false);
		const item = (await city("SELECT id FROM initiatives WHERE title = '学校等における安全対策'"))!;
		await page.goto(`${appUrl}/koganei/initiatives/${String(item.id)}`);
		await untilText(page.locator('.comments'), 'e2e 地域安全課からのコメント');
		expect(await page.locator('form[action="?/comment"]').count()).toBe(0);
	});
});
