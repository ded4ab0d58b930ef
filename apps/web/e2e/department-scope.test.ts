// A department-limited editor (editor-bouhan@koganei.example: 小金井市's 地域安全課 only) against
// an initiative of another department, on the running stack. 小金井市 is crawled as its admin,
// starting on that initiative's page, so every POST form the admin is offered there and on every
// other page of the city is found by the crawl (no list of forms here: a form added later is
// probed too). Each is then submitted as the limited editor, without JavaScript (the body a
// browser posts) and enhanced, as served and with every department field set to the editor's own
// department: every one must be refused by the authoriser (403), and a dump of every database
// must be the same afterwards. Forms about the editor's own department's items (its initiatives,
// records, metrics and reporting tasks) are theirs to use and are left out, found by the ids they
// carry; so are the forms any editor of the city may use whatever their departments (commenting,
// plan.comment), which the editor is shown to use on the other initiative. Then, with JavaScript,
// the editor saves a record on their own department's initiative and sees the other read-only
// (apart from commenting), with the reason.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { crawl, crawledForms, routeKey, unchangedBody, type CrawledForm, type CrawlResult } from './crawl.ts';
import { differences, dump, openDatabases } from './dump.ts';
import { isTextLike, isVisibleData } from './forms.ts';
import { get, postForm } from './http.ts';
import { linksAndForms } from './html.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { storedRow, storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const CITY = 'koganei';
const ADMIN = `admin@${CITY}.example`;
const LIMITED = `editor-bouhan@${CITY}.example`;
/** Forms any editor of the city may use on any initiative, whatever their departments: commenting. */
const ANY_EDITOR = /\?\/comment$/;

describe('a department-limited editor, against another department’s initiative (running stack)', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	const city = databases[CITY]!;
	let browser: Browser;
	let safety: string; // 地域安全課
	let own: string; // an initiative of 地域安全課
	let other: string; // an initiative of other departments only
	/** Ids of what the limited editor may write: 地域安全課's initiatives, their records and metrics. */
	let ownIds: Set<string>;
	let found: CrawlResult;
	let probed: CrawledForm[];
	const skipped: string[] = [];
	const anyEditor: string[] = [];

	const page = (path: string, cookie: string) =>
		get(appUrl, path, cookie).then(async (r) => ({ status: r.status, html: await r.text() }));
	const formsOn = (path: string, html: string) =>
		crawledForms(linksAndForms(html).forms, new URL(path, appUrl)).filter((f) => f.method === 'post');

	beforeAll(async () => {
		browser = await launchBrowser();
		safety = String((await storedRow(city, "SELECT id FROM departments WHERE name = '地域安全課'"))!.id);
		const ofSafety = `SELECT initiative_id FROM initiative_departments WHERE department_id = ?`;
		own = String(
			(await storedRow(
				city,
				`SELECT id FROM initiatives WHERE deleted_at IS NULL AND id IN (${ofSafety}) ORDER BY position LIMIT 1`,
				[safety]
			))!.id
		);
		// Another department's initiative with a record that has a figure: its record and metric forms.
		other = String(
			(await storedRow(
				city,
				`SELECT i.id FROM initiatives i WHERE i.deleted_at IS NULL AND i.id NOT IN (${ofSafety})
				   AND EXISTS (SELECT 1 FROM initiative_departments d WHERE d.initiative_id = i.id)
				   AND EXISTS (SELECT 1 FROM yearly_records r JOIN metrics m ON m.record_id = r.id
				               WHERE r.initiative_id = i.id AND r.deleted_at IS NULL)
				 ORDER BY i.position LIMIT 1`,
				[safety]
			))!.id
		);
		const admin = await sessionCookie(appUrl, ADMIN);
		// The case the issue names: on the other initiative, a record that names 地域安全課, with a
		// figure (written by the admin, as a person without JavaScript does), in a year the initiative
		// already has records for (so the year's figures per category do not move for other tests).
		const year = (await storedRow(city, 'SELECT fiscal_year FROM yearly_records WHERE initiative_id = ? LIMIT 1', [
			other
		]))!.fiscal_year;
		const added = await postForm(
			appUrl,
			`/${CITY}/initiatives/${other}?/addRecord`,
			{
				fiscalYear: String(year),
				phase: 'actual',
				departmentId: safety,
				text: '・合同パトロール（地域安全課と）',
				metricLabel: '合同パトロール',
				metricValue: '4',
				metricUnit: '回'
			},
			{ cookie: admin }
		);
		expect(added.status, 'the admin adds a record naming 地域安全課 to the other initiative').toBe(200);
		ownIds = new Set(
			(
				await storedRows(
					city,
					`SELECT id FROM initiatives WHERE id IN (${ofSafety})
					 UNION SELECT r.id FROM yearly_records r WHERE r.initiative_id IN (${ofSafety})
					 UNION SELECT m.id FROM metrics m JOIN yearly_records r ON r.id = m.record_id WHERE r.initiative_id IN (${ofSafety})
					 UNION SELECT t.id FROM round_tasks t WHERE t.department_id = ?`,
					[safety, safety, safety, safety]
				)
			).map((r) => String(r.id))
		);
		// One page per route, the other initiative's first: every form the admin is offered.
		found = await crawl(appUrl, {
			cookie: admin,
			start: [`/${CITY}/initiatives/${other}`, `/${CITY}`],
			skip: (u) => routeKey(u).includes('[token]') || !u.pathname.startsWith(`/${CITY}`),
			key: (u) => routeKey(u, [CITY])
		});
		probed = found.forms.filter((form) => {
			if (ANY_EDITOR.test(form.action)) {
				anyEditor.push(form.action);
				return false;
			}
			// The item a form is about: an id among its fields, or in its address (/koganei/tasks/{id}?/save).
			const inPath = new URL(form.action, appUrl).pathname.split('/')[3] ?? '';
			const mine = form.fields.some((c) => ownIds.has(c.value)) || ownIds.has(inPath);
			if (mine) skipped.push(form.action);
			return !mine;
		});
	});
	afterAll(async () => {
		console.log(
			`department scope: ${probed.length} forms of ${found.pages.length} pages probed as ${LIMITED}; ` +
				`left out as the editor's own: ${skipped.length}; as any editor's (commenting): ${anyEditor.length}`
		);
		await browser?.close();
		for (const db of Object.values(databases)) db.close();
	});

	it('the crawl found the other initiative’s record, metric and edit forms, and the plan-wide ones', () => {
		expect(found.truncated).toEqual([]);
		const actions = new Set(probed.map((f) => `${routeKey(new URL(f.action, appUrl), [CITY])}`));
		const onOther = probed.filter((f) => f.action.startsWith(`/${CITY}/initiatives/${other}?/`));
		for (const action of [
			'update',
			'addRecord',
			'updateRecord',
			'deleteRecord',
			'addMetric',
			'updateMetric',
			'deleteMetric'
		])
			expect(
				onOther.some((f) => f.action.endsWith(`?/${action}`)),
				action
			).toBe(true);
		// And beyond the initiative: the tree, departments, the plan, members.
		for (const route of ['/[tenant]/departments', '/[tenant]/plan', '/[tenant]/members'])
			expect(
				[...actions].some((a) => a === route),
				route
			).toBe(true);
		expect(probed.length).toBeGreaterThanOrEqual(20);
		expect(anyEditor, 'the comment form of the other initiative').toContain(`/${CITY}/initiatives/${other}?/comment`);
	});

	it('every form, submitted as the limited editor (JS off and enhanced, as served and naming their department), is refused; nothing is written', async () => {
		const cookie = await sessionCookie(appUrl, LIMITED);
		const before = await dump(databases);
		const failures: string[] = [];
		let sent = 0;
		for (const form of probed) {
			const served = unchangedBody(form);
			// As a person would fill it: every empty field given a plausible value, and every
			// department field naming the editor's own department.
			const theirs = new URLSearchParams(served);
			for (const c of form.fields.filter((c) => isVisibleData(c) && isTextLike(c) && c.value === ''))
				theirs.set(c.name, /year/i.test(c.name) ? '2024' : /value/i.test(c.name) ? '3' : 'e2e');
			if (form.fields.some((c) => c.name === 'departmentId')) theirs.set('departmentId', safety);
			if (form.fields.some((c) => c.name === 'departmentIds')) {
				theirs.delete('departmentIds');
				theirs.append('departmentIds', safety);
			}
			const bodies = served.toString() === theirs.toString() ? [served] : [served, theirs];
			for (const body of bodies)
				for (const enhanced of [false, true]) {
					const response = await postForm(appUrl, form.action, Object.fromEntries(body), { cookie, enhanced });
					sent += 1;
					// Enhanced, a form's refusal is an ActionResult: an error (the HTTP status) or a failure.
					const answer = enhanced ? ((await response.json()) as { type: string; status?: number }) : null;
					if (!enhanced) await response.body?.cancel();
					const status = answer?.type === 'failure' ? answer.status : response.status;
					if (status !== 403)
						failures.push(
							`POST ${form.action}${enhanced ? ' (enhanced)' : ''} ${body.toString().slice(0, 120)}: ${status}`
						);
				}
		}
		const after = await dump(databases);
		console.log(`department scope: ${sent} submissions refused`);
		expect(failures).toEqual([]);
		expect(differences(before, after), 'what the refused submissions wrote').toEqual([]);
	});

	it('the limited editor is offered no form on the other initiative but the comment form, with a note saying why, and may comment', async () => {
		const cookie = await sessionCookie(appUrl, LIMITED);
		const path = `/${CITY}/initiatives/${other}`;
		const { status, html } = await page(path, cookie);
		expect(status).toBe(200);
		expect(formsOn(path, html).map((f) => f.action)).toEqual([`${path}?/comment`]);
		expect(html).toContain('この取組は閲覧のみです');
		const commented = await postForm(appUrl, `${path}?/comment`, { body: 'e2e 地域安全課からの質問' }, { cookie });
		expect(commented.status).toBe(200);
		expect(
			await storedRow(city, 'SELECT actor_email FROM comments WHERE initiative_id = ? AND body = ?', [
				other,
				'e2e 地域安全課からの質問'
			])
		).toEqual({ actor_email: LIMITED });
		// Their own department's initiative offers the record forms, and no note.
		const mine = await page(`/${CITY}/initiatives/${own}`, cookie);
		expect(formsOn(`/${CITY}/initiatives/${own}`, mine.html).some((f) => f.action.endsWith('?/addRecord'))).toBe(true);
		expect(mine.html).not.toContain('この取組は閲覧のみです');
	});

	it('with JavaScript, the limited editor saves a record on their own department’s initiative and sees the other read-only', async () => {
		const context = await signedInContext(browser, appUrl, LIMITED);
		try {
			const tab = await context.newPage();
			await tab.goto(`${appUrl}/${CITY}/initiatives/${own}`);
			const form = tab.locator('form[action="?/addRecord"]');
			await form.locator('[name=fiscalYear]').fill('2024');
			await form.locator('[name=departmentId]').selectOption(safety);
			await form.locator('[name=text]').fill('・e2e 地域安全課の巡回');
			await form.locator('[name=metricLabel]').fill('巡回回数');
			await form.locator('[name=metricValue]').fill('12');
			await form.locator('[name=metricUnit]').fill('回');
			await form.locator('button[type=submit]').first().click();
			await untilText(tab.locator('[role=status]'), '追加');
			const saved = await storedRow(
				city,
				`SELECT r.department_id, m.value FROM yearly_records r JOIN metrics m ON m.record_id = r.id
				 WHERE r.initiative_id = ? AND r.text = ?`,
				[own, '・e2e 地域安全課の巡回']
			);
			expect(saved).toMatchObject({ department_id: safety, value: 12 });
			// The department choice offers only their own department (or none).
			const choices = await form
				.locator('[name=departmentId] option')
				.evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
			expect(choices.filter(Boolean)).toEqual([safety]);

			await tab.goto(`${appUrl}/${CITY}/initiatives/${other}`);
			await untilText(tab.locator('[role=note]'), 'この取組は閲覧のみです');
			expect(
				await tab.locator('main :is(form[method=POST], form[method=post]):not([action="?/comment"])').count()
			).toBe(0);
		} finally {
			await context.close();
		}
	});
});
