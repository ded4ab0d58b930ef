// Finding things, with JavaScript off and on: the overview's search reaches KPIs and yearly records
// and its filters offer what each plan holds, under the plan's own title and period; the operator
// finds a municipality by name, kana or code and subscribes it without developer words.
import { describe, expect, it } from 'vitest';
import { openCore, openTenant } from '@mamori/db';
import { pagePerTest } from './pages.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const core = openCore({ url: coreUrl }).$client;
const tenantDb = (slug: string) => openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` }).$client;

async function rows(slug: string, sql: string, args: string[] = []) {
	const db = tenantDb(slug);
	try {
		return (await db.execute({ sql, args })).rows;
	} finally {
		db.close();
	}
}

/** What each seed city is searched for, and the stored rows a hit must lead to. */
const searches = [
	{
		slug: 'meguro',
		q: '自転車盗難',
		kind: '成果指標',
		target: "SELECT id FROM indicators WHERE name LIKE '%自転車盗難%' AND deleted_at IS NULL",
		path: 'kpis'
	},
	{
		slug: 'koganei',
		q: 'パトロール回数',
		kind: '年度の記録',
		target:
			"SELECT r.initiative_id AS id FROM yearly_records r JOIN metrics m ON m.record_id = r.id WHERE m.label = 'パトロール回数' AND r.deleted_at IS NULL",
		path: 'initiatives'
	},
	{
		slug: 'tomakomai',
		q: '防犯だより',
		kind: '年度の記録',
		target:
			"SELECT r.initiative_id AS id FROM yearly_records r JOIN metrics m ON m.record_id = r.id WHERE m.label LIKE '%防犯だより%' AND r.deleted_at IS NULL",
		path: 'initiatives'
	}
] as const;

describe('finding things (JS off and on)', () => {
	const open = pagePerTest(() => core.close());

	for (const javaScriptEnabled of [false, true]) {
		const mode = javaScriptEnabled ? 'JS on' : 'JS off';
		for (const s of searches) {
			it(`${s.slug}: the plan's title and period head the overview; the search finds a ${s.kind} (${mode})`, async () => {
				const page = await open(`viewer@${s.slug}.example`, javaScriptEnabled);
				await page.goto(`${appUrl}/${s.slug}`);
				const [plan] = await rows(s.slug, 'SELECT title, period_start, period_end FROM plans');
				await expect(page.locator('h1').textContent()).resolves.toBe(String(plan!.title));
				if (plan!.period_end !== null)
					await expect(page.locator('main').textContent()).resolves.toContain(`計画期間: `);
				await page.locator('#f-q').fill(s.q);
				await page.getByRole('button', { name: '絞り込む' }).click();
				const hits = page.locator('.hits');
				await untilText(hits, `「${s.q}」の検索結果`);
				const hit = hits.locator('li').filter({ hasText: s.kind }).first();
				const href = (await hit.locator('a').getAttribute('href'))!;
				expect(href).toMatch(new RegExp(`^/${s.slug}/${s.path}/`));
				const stored = (await rows(s.slug, s.target)).map((r) => String(r.id));
				expect(stored).toContain(href.split('/').at(-1));
				await hit.locator('a').click();
				await page.waitForURL(`${appUrl}${href}`);
			});
		}

		it(`目黒区's filters offer what its plan holds: no departments, the years of its KPIs (${mode})`, async () => {
			const page = await open('admin@meguro.example', javaScriptEnabled);
			await page.goto(`${appUrl}/meguro`);
			// 目黒区 names no departments: no empty department filter; its years come from its KPIs.
			await expect(page.locator('#f-department').count()).resolves.toBe(0);
			const years = await page.locator('#f-year option').allTextContents();
			expect(years).toEqual(expect.arrayContaining(['令和2年度（2020）', '令和13年度（2031）']));
			const [stored] = await rows(
				'meguro',
				'SELECT min(baseline_year) AS base, max(target_year) AS target FROM indicators WHERE deleted_at IS NULL'
			);
			expect([stored!.base, stored!.target]).toEqual([2020, 2031]);
		});

		it(`小金井市's department filter lists its departments (${mode})`, async () => {
			const page = await open('viewer@koganei.example', javaScriptEnabled);
			await page.goto(`${appUrl}/koganei`);
			const departments = await page.locator('#f-department option').count();
			const [count] = await rows('koganei', 'SELECT count(*) AS n FROM departments WHERE deleted_at IS NULL');
			expect(departments).toBe(Number(count!.n) + 1); // and すべて
		});
	}

	for (const [javaScriptEnabled, city] of [
		[false, { q: 'タチカワ', name: '立川市', code: '132021', slug: 'tachikawa' }],
		[true, { q: 'はちおうじ', name: '八王子市', code: '132012', slug: 'hachioji' }]
	] as const) {
		it(`the operator finds ${city.name} by its kana and subscribes it (JS ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
			const page = await open('operator@mamori.example', javaScriptEnabled);
			await page.goto(`${appUrl}/operator`);
			await expect(page.locator('main').textContent()).resolves.not.toMatch(/スラッグ|slug/i);
			await page.locator('#find-q').fill(city.q);
			await page.getByRole('button', { name: '探す' }).click();
			await page.getByRole('button', { name: `${city.name}を選ぶ` }).click();
			await untilText(page.locator('.chosen'), `団体コード ${city.code}`);
			const slug = page.getByLabel('URLに使う名前（英小文字）');
			await expect(slug.inputValue()).resolves.toBe(city.slug);
			await page.getByLabel('最初の管理者のメールアドレス').fill(`admin@${city.slug}.example`);
			await page.getByRole('button', { name: '追加して招待を送る' }).click();
			await untilText(page.locator('[role=status]').first(), `${city.name}（/${city.slug}）を追加`);
			const stored = await core.execute({
				sql: 'SELECT slug FROM tenants WHERE municipality_code = ?',
				args: [city.code]
			});
			expect(stored.rows.map((r) => r.slug)).toEqual([city.slug]);
		});
	}

	it('the operator finds a city by its code; a subscribed one is marked, a refused one keeps what was typed', async () => {
		const page = await open('operator@mamori.example', false);
		await page.goto(`${appUrl}/operator?q=131105`);
		await untilText(page.locator('.found'), '追加済み（/meguro）');
		await page.goto(`${appUrl}/operator?q=${encodeURIComponent('国分寺')}`);
		await page.getByRole('button', { name: '国分寺市を選ぶ' }).click();
		await page.getByLabel('URLに使う名前（英小文字）').fill('operator');
		await page.getByLabel('最初の管理者のメールアドレス').fill('admin@kokubunji.example');
		await page.getByRole('button', { name: '追加して招待を送る' }).click();
		await untilText(page.locator('main'), 'この名前はシステムが使っているため使えません');
		await expect(page.getByLabel('最初の管理者のメールアドレス').inputValue()).resolves.toBe('admin@kokubunji.example');
		const stored = await core.execute("SELECT count(*) AS n FROM tenants WHERE municipality_code = '132144'");
		expect(Number(stored.rows[0]!.n)).toBe(0);
	});
});
