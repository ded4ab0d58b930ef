// A whole reporting round of 小金井市 for 令和4年度, in Chromium, with two departments: the admin
// opens it; 地域安全課's limited editor fills their task without JavaScript, 交通対策課's task is
// filled with it (a draft first); the admin returns one with a comment, it is corrected and
// resubmitted (a comment on it mentions 地域安全課, whose staff are mailed), both are approved and
// the round is closed. The year's records are then final and locked (an edit is refused with a
// message, nothing written), and publishing offers the year as confirmed. A limited editor's writes to another department's task are refused, nothing written.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openCore } from '@mamori/db';
import { untilEnhanced } from './browser.ts';
import { differences, dump, openDatabases } from './dump.ts';
import { postForm } from './http.ts';
import { pagePerTest } from './pages.ts';
import { sessionCookie } from './session.ts';
import { storedRow, storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const CITY = 'koganei';
const ADMIN = `admin@${CITY}.example`;
const LIMITED = `editor-bouhan@${CITY}.example`; // 地域安全課 only
const EDITOR = `editor@${CITY}.example`; // every department
const YEAR = 2022; // 令和4年度: no other test writes 小金井市's records of this year

describe('a reporting round of 小金井市, from opening to closing (JS off and on)', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	const city = databases[CITY]!;
	const core = openCore({ url: coreUrl }).$client;
	const open = pagePerTest(() => {
		for (const db of Object.values(databases)) db.close();
		core.close();
	});
	let roundId: string;
	let safetyTask: string; // 地域安全課's task on CoCoパトロール隊による地域パトロール
	let trafficTask: string; // 交通対策課's first task

	const task = async (id: string) => (await storedRow(city, 'SELECT * FROM round_tasks WHERE id = ?', [id]))!;
	/** Clicks a submit button of a form, once the app listens for it when JavaScript runs. */
	async function press(page: Page, javaScriptEnabled: boolean, action: string, button: string) {
		const form = page.locator(`form[action="?/${action}"]`);
		if (javaScriptEnabled) await untilEnhanced(form);
		await form.getByRole('button', { name: button, exact: true }).click();
	}

	it('the admin opens the round: a task per initiative × department', async () => {
		const page = await open(ADMIN, true);
		await page.goto(`${appUrl}/${CITY}/rounds`);
		await page.locator('#fiscalYear').fill('令和4');
		await page.locator('#deadline').fill('2023-05-31');
		await press(page, true, 'open', '受付を始める');
		await page.waitForURL(/\/rounds\/[^/?]+\?opened=/);
		await untilText(page.locator('[role=status]'), '令和4年度（2022）の報告の受付を始めました');
		roundId = new URL(page.url()).pathname.split('/').at(-1)!;
		const expected = await storedRow(
			city,
			`SELECT SUM(n) AS n FROM (SELECT MAX(1, (SELECT COUNT(*) FROM initiative_departments d WHERE d.initiative_id = i.id)) AS n
			   FROM initiatives i WHERE i.deleted_at IS NULL)`
		);
		const tasks = await storedRows(city, 'SELECT id FROM round_tasks WHERE round_id = ?', [roundId]);
		expect(tasks.length).toBe(Number(expected!.n));
		safetyTask = String(
			(await storedRow(
				city,
				`SELECT t.id FROM round_tasks t JOIN initiatives i ON i.id = t.initiative_id JOIN departments d ON d.id = t.department_id
				 WHERE t.round_id = ? AND d.name = '地域安全課' AND i.title = 'CoCoパトロール隊による地域パトロール'`,
				[roundId]
			))!.id
		);
		trafficTask = String(
			(await storedRow(
				city,
				`SELECT t.id FROM round_tasks t JOIN departments d ON d.id = t.department_id JOIN initiatives i ON i.id = t.initiative_id
				 WHERE t.round_id = ? AND d.name = '交通対策課' ORDER BY i.position LIMIT 1`,
				[roundId]
			))!.id
		);
	});

	it('地域安全課 sees only its own tasks and submits one prefilled from last year, without JavaScript', async () => {
		const page = await open(LIMITED, false);
		await page.goto(`${appUrl}/${CITY}/tasks`);
		const departments = await page.locator('tbody tr td:nth-child(2)').allTextContents();
		expect(departments.length).toBeGreaterThan(5);
		expect(new Set(departments)).toEqual(new Set(['地域安全課']));
		await page.locator(`a[href$="/tasks/${safetyTask}"]`).click();
		// The latest earlier year's (令和元年度) record of 地域安全課 is the draft: パトロール回数 503回.
		await expect(page.locator('#actualText').inputValue()).resolves.toContain('パトロール回数 503回');
		await expect(page.locator('[id="actualMetrics-1-value"]').inputValue()).resolves.toBe('503');
		await page.locator('#actualText').fill('・車両数 16台\n・パトロール回数 498回');
		await page.locator('[id="actualMetrics-0-value"]').fill('16');
		await page.locator('[id="actualMetrics-1-value"]').fill('498');
		await page.locator('[id="actualMetrics-2-label"]').fill('');
		await page.locator('[id="actualMetrics-2-value"]').fill('');
		await page.locator('[id="actualMetrics-2-unit"]').fill('');
		await page.locator('#progress').selectOption({ label: '実施' });
		await page.locator('#planText').fill('・パトロール回数 500回');
		await press(page, false, 'save', '提出する');
		await untilText(page.locator('[role=status]'), '提出しました');
		expect(await task(safetyTask)).toMatchObject({
			state: 'submitted',
			progress: 'done',
			actual_text: '・車両数 16台\n・パトロール回数 498回',
			plan_text: '・パトロール回数 500回',
			submitted_by: LIMITED
		});
		expect(JSON.parse(String((await task(safetyTask)).actual_metrics))).toEqual([
			{ label: '車両数', value: 16, unit: '台' },
			{ label: 'パトロール回数', value: 498, unit: '回' }
		]);
	});

	it('another department’s task is refused to the limited editor, whatever it sends; nothing is written', async () => {
		const cookie = await sessionCookie(appUrl, LIMITED);
		const before = await dump(databases);
		const { version } = await task(trafficTask);
		const attempts = [
			['save', { version: String(version), actualText: '地域安全課が書いた', progress: 'done', intent: 'submit' }],
			['return', { version: String(version), comment: '差し戻し' }],
			['approve', { version: String(version) }]
		] as const;
		for (const [action, fields] of attempts)
			for (const enhanced of [false, true]) {
				const response = await postForm(appUrl, `/${CITY}/tasks/${trafficTask}?/${action}`, fields, {
					cookie,
					enhanced
				});
				// Enhanced, a refusal is an ActionResult: an error (the HTTP status) or a failure (its status).
				const answer = enhanced ? ((await response.json()) as { type: string; status?: number }) : null;
				if (!enhanced) await response.body?.cancel();
				const status = answer?.type === 'failure' ? answer.status : response.status;
				expect(status, `${action}${enhanced ? ' (enhanced)' : ''}`).toBe(403);
			}
		expect(differences(before, await dump(databases))).toEqual([]);
	});

	it('交通対策課’s task is saved as a draft, then submitted, with JavaScript', async () => {
		const page = await open(EDITOR, true);
		await page.goto(`${appUrl}/${CITY}/tasks/${trafficTask}`);
		await page.locator('#actualText').fill('・自転車の放置防止の啓発 12回');
		await page.locator('[id="actualMetrics-0-label"]').fill('啓発');
		await page.locator('[id="actualMetrics-0-value"]').fill('12');
		await page.locator('[id="actualMetrics-0-unit"]').fill('回');
		await press(page, true, 'save', '下書きを保存');
		await untilText(page.locator('[role=status]'), '下書きを保存しました');
		expect(await task(trafficTask)).toMatchObject({ state: 'draft', actual_text: '・自転車の放置防止の啓発 12回' });
		// Submitting without a status is refused beside the field, and the draft stays as saved.
		await press(page, true, 'save', '提出する');
		await untilText(page.locator('#progress-error'), '提出するには実施状況を選んでください');
		expect(await task(trafficTask)).toMatchObject({ state: 'draft' });
		await page.locator('#progress').selectOption({ label: '一部実施' });
		await press(page, true, 'save', '提出する');
		await untilText(page.locator('[role=status]'), '提出しました');
		expect(await task(trafficTask)).toMatchObject({ state: 'submitted', progress: 'partial' });
	});

	it('the admin returns 地域安全課’s submission with a comment; it is corrected and resubmitted (JS off)', async () => {
		const admin = await open(ADMIN, true);
		await admin.goto(`${appUrl}/${CITY}/rounds/${roundId}`);
		// The dashboard: 地域安全課 has one submission waiting for review.
		const safetyRow = admin.locator('tbody tr').filter({ hasText: '地域安全課' }).first();
		await expect(safetyRow.locator('td').nth(1).textContent()).resolves.toBe('1');
		await admin.goto(`${appUrl}/${CITY}/tasks/${safetyTask}`);
		await admin.locator('#return-comment').fill('距離も記入してください。');
		await press(admin, true, 'return', '差し戻す');
		await untilText(admin.locator('[role=status]'), '差し戻しました');
		expect(await task(safetyTask)).toMatchObject({ state: 'returned', reviewed_by: ADMIN });
		// A comment on the submission that mentions 地域安全課 mails its staff.
		const comment = admin.locator('form[action="?/comment"]');
		await untilEnhanced(comment);
		await comment.locator('#comment-body').fill('距離の数え方は前年度と同じでお願いします。');
		await comment.getByLabel('地域安全課', { exact: true }).check();
		await comment.getByRole('button').click();
		await untilText(admin.locator('.comments'), '距離の数え方は前年度と同じでお願いします。');
		// Mailed after the answer: looked for until it is in the outbox.
		await expect
			.poll(
				async () =>
					(
						await core.execute({
							sql: 'SELECT COUNT(*) AS n FROM mail_outbox WHERE "to" = ? AND body LIKE ?',
							args: [LIMITED, '%距離の数え方は前年度と同じでお願いします。%']
						})
					).rows[0]!.n,
				{ timeout: 20_000 }
			)
			.toBe(1);
		expect(
			await storedRow(city, 'SELECT task_id FROM comments WHERE body = ?', [
				'距離の数え方は前年度と同じでお願いします。'
			])
		).toEqual({ task_id: safetyTask });

		const page = await open(LIMITED, false);
		await page.goto(`${appUrl}/${CITY}/tasks/${safetyTask}`);
		await untilText(page.locator('.comments'), '距離も記入してください。');
		await expect(page.locator('#actualText').inputValue()).resolves.toBe('・車両数 16台\n・パトロール回数 498回');
		await page.locator('[id="actualMetrics-2-label"]').fill('距離');
		await page.locator('[id="actualMetrics-2-value"]').fill('9,120');
		await page.locator('[id="actualMetrics-2-unit"]').fill('km');
		await press(page, false, 'save', '提出する');
		await untilText(page.locator('[role=status]'), '提出しました');
		expect(await task(safetyTask)).toMatchObject({ state: 'submitted' });
	});

	it('the admin approves both and closes the round; the year is final, locked and offered for publishing', async () => {
		const admin = await open(ADMIN, false);
		for (const id of [safetyTask, trafficTask]) {
			await admin.goto(`${appUrl}/${CITY}/tasks/${id}`);
			await press(admin, false, 'approve', '承認して記録する');
			await untilText(admin.locator('[role=status]'), '承認し、記録に反映しました');
		}
		const records = await storedRows(
			city,
			`SELECT r.id, r.initiative_id, r.phase, r.progress, r.text, r.version, r.fiscal_year, d.name AS department
			   FROM yearly_records r JOIN departments d ON d.id = r.department_id
			  WHERE r.round_id = ? AND r.deleted_at IS NULL ORDER BY d.name, r.phase`,
			[roundId]
		);
		expect(records.map((r) => [r.department, r.fiscal_year, r.phase, r.progress])).toEqual([
			['交通対策課', YEAR, 'actual', 'partial'],
			['地域安全課', YEAR, 'actual', 'done'],
			['地域安全課', YEAR + 1, 'plan', null]
		]);
		const figures = await storedRows(
			city,
			'SELECT label, value, status FROM metrics WHERE record_id = ? ORDER BY position',
			[records[1]!.id]
		);
		expect(figures).toEqual([
			{ label: '車両数', value: 16, status: 'final' },
			{ label: 'パトロール回数', value: 498, status: 'final' },
			{ label: '距離', value: 9120, status: 'final' }
		]);

		// An initiative page opened before closing still offers the approved record's form.
		const record = records[1]!;
		const stale = await admin.context().newPage();
		await stale.goto(`${appUrl}/${CITY}/initiatives/${String(record.initiative_id)}`);
		const form = stale
			.locator('form[action="?/updateRecord"]')
			.filter({ has: stale.locator(`input[name=id][value="${String(record.id)}"]`) });

		await admin.goto(`${appUrl}/${CITY}/rounds/${roundId}`);
		await admin.getByRole('button', { name: '締め切る前に確認する' }).click();
		await untilText(admin.locator('.confirm'), '令和4年度（2022）の記録は確定となり');
		await press(admin, false, 'close', '締め切る');
		await untilText(admin.locator('[role=status]'), '締め切りました');
		expect(await storedRow(city, 'SELECT state, closed_by FROM reporting_rounds WHERE id = ?', [roundId])).toEqual({
			state: 'closed',
			closed_by: ADMIN
		});

		// Locked: saving that stale form is refused with the reason, and nothing changes.
		const before = await dump(databases);
		await form.locator('textarea[name=text]').fill('後から書き換え');
		await form.getByRole('button', { name: 'この年度の取組を保存' }).click();
		await untilText(stale.locator('[role=alert]'), 'この年度の報告は締め切られ、記録は確定しています');
		expect(differences(before, await dump(databases))).toEqual([]);
		// Opened now, the page shows the record as final, with no form for it.
		await stale.goto(`${appUrl}/${CITY}/initiatives/${String(record.initiative_id)}`);
		await untilText(stale.locator('.record.locked').first(), '年次報告の締め切りにより確定した記録です');
		await expect(form.count()).resolves.toBe(0);

		// Publishing offers the closed year as confirmed.
		await admin.goto(`${appUrl}/${CITY}/benchmarks?year=${YEAR}`);
		await untilText(
			admin.locator('#preview-heading + .notice'),
			'この年度の年次報告は締め切られ、数値は確定しています'
		);
	});
});
