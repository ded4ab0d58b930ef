// Figures that mean what they say, in the browser: a figure or KPI mapped to a shared indicator it
// does not fit is refused with the reason in Japanese beside the field, with JavaScript off and on,
// and nothing is written; 苫小牧市's 令和5年度 column is its 事業概要, never 実績, on every page of
// the city and in what it published.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { crawl } from './crawl.ts';
import { openDatabases } from './dump.ts';
import { get } from './http.ts';
import { sessionCookie, signedInContext } from './session.ts';
import { storedRow, storedRows } from './stored.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const databases = openDatabases(coreUrl, sqldHttpUrl);
const row = (city: string, sql: string, args: unknown[] = []) => storedRow(databases[city], sql, args);

/** A page's text as a reader sees it: no scripts, styles or tags. */
const readable = (html: string) =>
	html
		.replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ');

afterAll(() => {
	for (const db of Object.values(databases)) db.close();
});

describe('figures that mean what they say', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(() => browser?.close());
	/** Runs `step` on a page signed in as `email`, then closes its context. */
	const asUser = async (email: string, javaScriptEnabled: boolean, step: (page: Page) => Promise<void>) => {
		const context = await signedInContext(browser, appUrl, email, { javaScriptEnabled });
		try {
			await step(await context.newPage());
		} finally {
			await context.close();
		}
	};

	for (const javaScriptEnabled of [false, true]) {
		const mode = `JS ${javaScriptEnabled ? 'on' : 'off'}`;

		it(`a figure in 件 mapped to 青色防犯パトロール車両数 (台) is refused beside the field (${mode})`, async () => {
			const record = (await row(
				'koganei',
				`SELECT r.id, r.initiative_id FROM yearly_records r JOIN initiatives i ON i.id = r.initiative_id
				 WHERE i.title = 'CoCoパトロール隊による地域パトロール' AND r.fiscal_year = 2019`
			))!;
			const count = async () => (await row('koganei', 'SELECT count(*) AS n FROM metrics'))!.n;
			const before = await count();
			await asUser('admin@koganei.example', javaScriptEnabled, async (page) => {
				await page.goto(`${appUrl}/koganei/initiatives/${String(record.initiative_id)}`);
				const field = (key: string) => page.locator(`#metric-new-${String(record.id)}-${key}`);
				await field('label').fill('車両数');
				await field('value').fill('15');
				await field('unit').fill('件');
				await field('stockFlow').selectOption('stock');
				await field('indicatorCode').selectOption('patrol_vehicles');
				await page.locator(`form:has(#metric-new-${String(record.id)}-label) button[type=submit]`).click();
				const error = field('indicatorCode-error');
				await untilText(error, '単位「件」はこの共通指標の単位（台）と異なるため、対応付けできません。');
				expect(await field('indicatorCode').getAttribute('aria-describedby')).toContain(
					`metric-new-${String(record.id)}-indicatorCode-error`
				);
				expect(await field('unit').inputValue()).toBe('件'); // what was typed is kept
			});
			expect(await count()).toBe(before);
		});

		it(`a KPI said to be a flow is refused for a stock indicator, beside the field (${mode})`, async () => {
			const kpi = (await row(
				'meguro',
				"SELECT id, version, stock_flow FROM indicators WHERE shared_indicator_code = 'alert_mail_subscribers'"
			))!;
			await asUser('admin@meguro.example', javaScriptEnabled, async (page) => {
				await page.goto(`${appUrl}/meguro/kpis/${String(kpi.id)}`);
				await page.locator('#kpi-stockFlow').selectOption('flow');
				await page.locator('form[action="?/update"] button[type=submit]').click();
				await untilText(
					page.locator('#kpi-sharedIndicatorCode-error'),
					'この共通指標は年度末時点の累計（ストック）の数値です。'
				);
			});
			expect(await row('meguro', 'SELECT version, stock_flow FROM indicators WHERE id = ?', [kpi.id])).toEqual({
				version: kpi.version,
				stock_flow: 'stock'
			});
		});
	}

	it('目黒区 shows a calendar-year baseline against a fiscal-year target as such', async () => {
		await asUser('viewer@meguro.example', true, async (page) => {
			await page.goto(`${appUrl}/meguro/kpis`);
			const bicycles = page.locator('tr', { hasText: '自転車盗難被害状況' });
			await untilText(bicycles, '令和2年（2020）（暦年）');
			await untilText(bicycles, '令和13年度（2031）');
			await untilText(bicycles, '確定・速報の記載なし');
		});
	});

	it('苫小牧市: every page of the city heads 令和5年度 as 事業概要 and never says 実績', async () => {
		const cookie = await sessionCookie(appUrl, 'viewer@tomakomai.example');
		const { pages } = await crawl(appUrl, {
			cookie,
			start: '/tomakomai',
			maxPages: 120,
			skip: (url) => !url.pathname.startsWith('/tomakomai')
		});
		const initiatives = pages.filter((p) => /^\/tomakomai\/initiatives\/[^/?]+$/.test(p.url));
		// Every live initiative of the city has its page (other test files may have added some).
		const live = (await storedRow(
			databases.tomakomai,
			'SELECT count(*) AS n FROM initiatives WHERE deleted_at IS NULL'
		))!.n;
		expect(initiatives).toHaveLength(Number(live));
		expect(Number(live)).toBeGreaterThanOrEqual(37);
		// Other test files may have changed this city since it was seeded: entered a result (実績),
		// imported records (the progress page then explains its roll-up of each year's 実績) or opened
		// a reporting round. Then only the seeded 令和5年度 records are checked, never headed 実績.
		const changed = (await storedRow(
			databases.tomakomai,
			`SELECT (SELECT count(*) FROM yearly_records WHERE phase = 'actual' AND deleted_at IS NULL)
			      + (SELECT count(*) FROM reporting_rounds)
			      + (SELECT count(*) FROM yearly_records) - 74 AS n`
		))!.n;
		const entered = Number(changed);
		for (const { url } of pages.filter((p) => p.status === 200)) {
			const text = readable(await (await get(appUrl, url, cookie)).text());
			// Where the city's records are shown (its initiatives' pages), none says 実績; other pages
			// (progress, rounds) explain the word as what departments report, not of these records.
			if (entered === 0 && initiatives.some((p) => p.url === url)) expect(text, url).not.toContain('実績');
			expect(text, url).not.toMatch(/令和5年度（2023）\s*実績/);
			if (initiatives.some((p) => p.url === url)) {
				expect(text, url).toContain('令和5年度（2023） 事業概要');
				expect(text, url).toContain('令和6年度（2024） 事業概要（予定）');
			}
		}
	});

	it('苫小牧市: its publication of 令和5年度 counts no summary as results, and the official sees no 実績', async () => {
		const facts = await storedRows(
			databases.core,
			"SELECT kind, count(*) AS n FROM benchmark_facts WHERE municipality_code = '012131' AND fiscal_year = 2023 GROUP BY kind"
		);
		expect(facts.map((f) => f.kind)).not.toContain('indicator');
		const cookie = await sessionCookie(appUrl, 'official@hokkaido.example');
		for (const path of ['/benchmarks?pref=01&year=2023', '/benchmarks/coverage?pref=01&year=2023']) {
			const answer = await get(appUrl, path, cookie);
			expect(answer.status, path).toBe(200);
			expect(readable(await answer.text()), path).not.toContain('実績');
		}
	});
});
