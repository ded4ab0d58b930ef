// A city's admin imports a plan from its document with JavaScript off, through the real form:
// pastes the text at /{slug}/import/document, sees the proposal (the unplaced line listed with its
// number), confirms with an initiative left without a category (refused on its line, nothing
// written in any database), then corrects it — a title edited, a row dropped, a category chosen —
// and confirms: exactly the proposed rows are stored, in 苫小牧市's database only. The rows are
// removed afterwards, so the stack is left as found (other test files share it).
import { describe, expect, it } from 'vitest';
import { differences, dump, openDatabases } from './dump.ts';
import { pagePerTest } from './pages.ts';
import { storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const CITY = 'tomakomai';
const DOCUMENT = [
	'交通安全・防犯推進計画（令和6年度～令和10年度）',
	'',
	'1 交通安全の推進（文書取込の試験）',
	'(1) 交通安全教育',
	'・子どもの交通安全教室の開催（担当：交通対策課）',
	'・高齢者の交通安全講習会（担当：交通対策課）',
	'(2) 自転車の安全利用',
	'・自転車ヘルメット着用の啓発【交通対策課】',
	'',
	'2 防犯対策の推進（文書取込の試験）',
	'(1) 地域の見守り',
	'・青色防犯パトロールによる巡回（担当：地域安全課）',
	'・防犯カメラの設置補助（担当：地域安全課）',
	'7年度の予定：防犯カメラ 10台',
	'(2) 特殊詐欺対策',
	'・自動通話録音機の貸与（担当：地域安全課）',
	'令和5年度実績：自動通話録音機の貸与 150台',
	'※この計画は毎年見直します。'
].join('\n');

describe('document import of a plan (JS off)', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	const open = pagePerTest(() => Object.values(databases).forEach((db) => db.close()));

	it('pastes, previews, is refused on a line with nothing written, corrects, confirms: the rows proposed are stored', async () => {
		const db = databases[CITY]!;
		const before = await dump(databases);
		const page = await open(`admin@${CITY}.example`, false);
		await page.goto(`${appUrl}/${CITY}/import`);
		await page.getByRole('link', { name: '計画の文書（テキスト・Markdown）から取り込む' }).click();
		await page.waitForURL(new RegExp(`/${CITY}/import/document$`));
		await page.locator('textarea[name=text]').fill(DOCUMENT);
		await page.getByRole('button', { name: '読み取って確認する' }).click();
		await untilText(page.locator('#proposal-title'), '読み取った内容の確認');
		await untilText(
			page.locator('main'),
			'6 件の施策、6 件の取組、2 件の年度の記録、0 件の成果指標を読み取りました。読み取れなかった行は 1 行です。'
		);
		await untilText(page.locator('main table'), '※この計画は毎年見直します。');
		expect(await page.locator('main table td.num').allTextContents()).toEqual(['18']);
		const form = page.locator('form[action="?/confirm"]');
		// The suggested category, with the words that matched.
		await untilText(form, '子どもの安全 （一致した語：子ども）');

		// The one suggestion of the first initiative unticked, none added: refused on its line.
		const first = '0.0.i0';
		await form.locator(`input[name="cat:${first}:vulnerable.children"]`).uncheck();
		await form.getByRole('button', { name: '取り込む' }).click();
		await untilText(page.locator('[role=alert]'), 'このままでは取り込めない箇所が 1 件あります');
		await untilText(page.locator('[role=alert]'), '5 行目');
		expect(differences(before, await dump(databases))).toEqual([]);

		// Corrected in the preview shown again (the untick kept): a category chosen, a title edited,
		// the second initiative dropped.
		const again = page.locator('form[action="?/confirm"]');
		expect(await again.locator(`input[name="cat:${first}:vulnerable.children"]`).isChecked()).toBe(false);
		await again.locator(`select[name="catadd:${first}"]`).selectOption('training');
		await again.locator(`input[name="title:${first}"]`).fill('子どもの交通安全教室（文書取込の試験）');
		await again.locator('input[name="keep:0.0.i1"]').uncheck();
		// The confirmation as the browser sends it, to send it a second time below.
		const confirmation = await again.evaluate((f: HTMLFormElement) =>
			[...new FormData(f)].map(([name, value]) => [name, String(value)] as const)
		);
		const confirmUrl = page.url();
		await again.getByRole('button', { name: '取り込む' }).click();
		await untilText(
			page.locator('[role=status]'),
			'取り込みました（施策 6 件、取組 5 件、年度の記録 2 件、成果指標 0 件）'
		);

		const after = await dump(databases);
		// The same confirmation again (a retry after 「保存されたか確認してください」, a reload that
		// posts again): refused, in words, and nothing is imported a second time.
		const form2 = new FormData();
		for (const [name, value] of confirmation) form2.append(name, value);
		const retry = await page.request.post(`${confirmUrl.split('?')[0]}?/confirm`, {
			multipart: form2,
			headers: { origin: new URL(confirmUrl).origin, accept: 'text/html' }, // as a browser posts it
			maxRedirects: 0
		});
		expect(retry.status()).toBe(409);
		expect(await retry.text()).toContain('この確認はすでに取り込まれています');
		expect(differences(after, await dump(databases))).toEqual([]);
		const changed = differences(before, after).map((d) => d.split(':')[0]);
		expect(changed.sort()).toEqual(
			[
				'departments',
				'initiative_categories',
				'initiative_departments',
				'initiatives',
				'metrics',
				'plan_nodes',
				'yearly_records'
			].map((t) => `${CITY}.${t}`)
		);
		const nodes = await storedRows(
			db,
			"SELECT id, title FROM plan_nodes WHERE title LIKE '%（文書取込の試験）' ORDER BY position"
		);
		expect(nodes.map((n) => n.title)).toEqual(['交通安全の推進（文書取込の試験）', '防犯対策の推進（文書取込の試験）']);
		const tree = await storedRows(
			db,
			`WITH RECURSIVE sub(id) AS (SELECT id FROM plan_nodes WHERE title LIKE '%（文書取込の試験）'
			   UNION SELECT n.id FROM plan_nodes n JOIN sub ON n.parent_id = sub.id)
			 SELECT i.id, i.title,
			   (SELECT group_concat(name, '|') FROM (SELECT d.name FROM initiative_departments x JOIN departments d ON d.id = x.department_id WHERE x.initiative_id = i.id ORDER BY x.position)) AS departments,
			   (SELECT group_concat(category_code, '|') FROM (SELECT category_code FROM initiative_categories WHERE initiative_id = i.id ORDER BY position)) AS categories,
			   (SELECT group_concat(fiscal_year || ' ' || phase, '|') FROM yearly_records WHERE initiative_id = i.id) AS records
			 FROM initiatives i WHERE i.node_id IN (SELECT id FROM sub) ORDER BY i.title`
		);
		expect(tree.map(({ id: _id, ...r }) => r)).toEqual([
			{
				title: '子どもの交通安全教室（文書取込の試験）',
				departments: '交通対策課',
				categories: 'training',
				records: null
			},
			{ title: '自動通話録音機の貸与', departments: '地域安全課', categories: 'fraud.special', records: '2023 actual' },
			{ title: '自転車ヘルメット着用の啓発', departments: '交通対策課', categories: 'awareness', records: null },
			{
				title: '防犯カメラの設置補助',
				departments: '地域安全課',
				categories: 'camera.community_grant|camera.public',
				records: '2025 plan'
			},
			{
				title: '青色防犯パトロールによる巡回',
				departments: '地域安全課',
				categories: 'patrol.official|patrol.community',
				records: null
			}
		]);

		// Left as found: the rows this import added, removed.
		const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id));
		const initiativeIds = ids(tree);
		const recordIds = ids(
			await storedRows(
				db,
				`SELECT id FROM yearly_records WHERE initiative_id IN (${initiativeIds.map(() => '?').join(',')})`,
				initiativeIds
			)
		);
		const marks = (xs: string[]) => xs.map(() => '?').join(',');
		await storedRows(db, `DELETE FROM metrics WHERE record_id IN (${marks(recordIds)})`, recordIds);
		await storedRows(db, `DELETE FROM yearly_records WHERE id IN (${marks(recordIds)})`, recordIds);
		for (const table of ['initiative_categories', 'initiative_departments'])
			await storedRows(db, `DELETE FROM ${table} WHERE initiative_id IN (${marks(initiativeIds)})`, initiativeIds);
		await storedRows(db, `DELETE FROM initiatives WHERE id IN (${marks(initiativeIds)})`, initiativeIds);
		await storedRows(
			db,
			`WITH RECURSIVE sub(id) AS (SELECT id FROM plan_nodes WHERE title LIKE '%（文書取込の試験）'
			   UNION SELECT n.id FROM plan_nodes n JOIN sub ON n.parent_id = sub.id)
			 DELETE FROM plan_nodes WHERE id IN (SELECT id FROM sub)`
		);
		await storedRows(db, "DELETE FROM departments WHERE name IN ('交通対策課', '地域安全課')");
		expect(differences(before, await dump(databases))).toEqual([]);
	});
});
