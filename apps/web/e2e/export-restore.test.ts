// A city admin downloads the city's data from /{slug}/export (JSON and SQLite), the operator
// uploads it at /operator/restore into a new city, and exporting the new city gives the same JSON,
// ids included; with JavaScript off and on. A bad file (not JSON, another format version, a broken
// reference, too large) is refused beside the file field in Japanese, the other fields keep what
// was typed, and nothing is written anywhere (the databases are dumped before and after).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openTenant } from '@mamori/db';
import { exportText, readCity } from '../../../db/services/src/export/export.ts';
import { differences, dump, openDatabases } from './dump.ts';
import { pagePerTest } from './pages.ts';
import { untilText } from './wait.ts';
import { appUrl, coreUrl, sqldHttpUrl } from './stack.ts';

const OPERATOR = 'operator@mamori.example';

const modes = [
	{ javaScriptEnabled: false, city: 'koganei', code: '132063', name: '府中市', sqliteCode: '132098' },
	{ javaScriptEnabled: true, city: 'tomakomai', code: '132071', name: '昭島市', sqliteCode: '132110' }
] as const;

/** Clicks a download link and answers the file's bytes. */
async function download(page: Page, name: string): Promise<Buffer> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
	return readFileSync((await file.path())!);
}

async function exported(page: Page, city: string) {
	await page.goto(`${appUrl}/${city}`);
	await page.getByRole('navigation').getByRole('link', { name: '書き出し' }).click();
	await page.waitForURL(new RegExp(`/${city}/export$`));
	await untilText(page.locator('main'), '/export-format.schema.json');
	return {
		json: await download(page, 'JSON で書き出す'),
		sqlite: await download(page, 'SQLite データベースで書き出す')
	};
}

/** Fills the restore form and submits it with `file` (bytes, or a path the browser reads itself). */
async function restore(
	page: Page,
	fields: { code: string; slug: string },
	file: { name: string; bytes: Uint8Array } | string
) {
	await page.locator('input[name=municipalityCode]').fill(fields.code);
	await page.locator('input[name=slug]').fill(fields.slug);
	await page.locator('input[name=adminEmail]').fill(`admin@${fields.slug}.example`);
	await page
		.locator('input[name=file]')
		.setInputFiles(
			typeof file === 'string'
				? file
				: { name: file.name, mimeType: 'application/octet-stream', buffer: Buffer.from(file.bytes) }
		);
	await page.getByRole('button', { name: '復元して招待を送る' }).click();
}

/** The restored city exported again, from its own database (it has no member yet to sign in as). */
async function exportedAgain(slug: string): Promise<string> {
	const db = openTenant({ url: `${sqldHttpUrl}/dev/tenant-${slug}/` });
	try {
		return exportText(await readCity(db.$client));
	} finally {
		db.$client.close();
	}
}

describe('export and restore (JS off and on)', () => {
	const databases = openDatabases(coreUrl, sqldHttpUrl);
	const open = pagePerTest(() => Object.values(databases).forEach((db) => db.close()));

	for (const mode of modes) {
		const js = mode.javaScriptEnabled ? 'JS on' : 'JS off';

		it(`the admin downloads ${mode.city}'s data, the operator restores it as ${mode.name}, and it exports the same (${js})`, async () => {
			const admin = await open(`admin@${mode.city}.example`, mode.javaScriptEnabled);
			const { json, sqlite } = await exported(admin, mode.city);
			expect(JSON.parse(json.toString('utf8'))).toMatchObject({ format: 'mamori-city-export', formatVersion: 1 });
			expect(sqlite.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

			const operator = await open(OPERATOR, mode.javaScriptEnabled);
			await operator.goto(`${appUrl}/operator`);
			await operator.getByRole('link', { name: '書き出しファイルから自治体を復元する' }).click();
			await operator.waitForURL(/\/operator\/restore$/);
			const slug = `restored-${mode.javaScriptEnabled ? 'js' : 'nojs'}-${Date.now().toString(36)}`;
			await restore(operator, { code: mode.code, slug }, { name: `${mode.city}.json`, bytes: json });
			await untilText(operator.locator('[role=status]'), `${mode.name}（/${slug}）として復元しました`);
			expect(await exportedAgain(slug)).toBe(json.toString('utf8'));
			await untilText(operator.locator('table').last(), `/${slug}`);

			const fromSqlite = `${slug}-sqlite`;
			await restore(
				operator,
				{ code: mode.sqliteCode, slug: fromSqlite },
				{ name: `${mode.city}.sqlite`, bytes: sqlite }
			);
			await untilText(operator.locator('[role=status]'), `（/${fromSqlite}）として復元しました`);
			expect(await exportedAgain(fromSqlite)).toBe(json.toString('utf8'));
		});

		it(`a bad file gets a located message beside the file field and nothing is written (${js})`, async () => {
			const admin = await open('admin@meguro.example', mode.javaScriptEnabled);
			const { json } = await exported(admin, 'meguro');
			const document = JSON.parse(json.toString('utf8')) as {
				formatVersion: number;
				tables: Record<string, Record<string, unknown>[]>;
			};
			const broken = structuredClone(document);
			broken.tables.initiatives![2]!.nodeId = 'gone';
			const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, '\t'));
			const bad = [
				{
					name: 'notes.txt',
					bytes: new TextEncoder().encode('{\n\t"format": "mamori-city-export"\n\tformatVersion: 1\n}'),
					message: 'ファイルを JSON として読めません（3 行目 2 文字目）。'
				},
				{
					name: 'v2.json',
					bytes: encode({ ...document, formatVersion: 2 }),
					message: 'このファイルの形式のバージョン（2）には対応していません。対応しているのはバージョン 1 です。'
				},
				{
					name: 'broken.json',
					bytes: encode(broken),
					message: 'ファイルの tables.initiatives[2].nodeId が指す行（gone）が tables.planNodes にありません。'
				}
			];

			const operator = await open(OPERATOR, mode.javaScriptEnabled);
			await operator.goto(`${appUrl}/operator/restore`);
			const before = await dump(databases);
			const slug = `refused-${mode.javaScriptEnabled ? 'js' : 'nojs'}`;
			for (const file of bad) {
				await restore(operator, { code: '132080', slug }, file);
				await untilText(operator.locator('#file-error'), file.message);
				// What was typed comes back; a file cannot be, and is chosen again.
				await expect(operator.locator('input[name=slug]').inputValue()).resolves.toBe(slug);
				await expect(operator.locator('input[name=municipalityCode]').inputValue()).resolves.toBe('132080');
			}
			expect(differences(before, await dump(databases))).toEqual([]);
			expect(await exportedAgain('meguro')).toBe(json.toString('utf8'));
		});
	}

	it('refuses a file over the 10 MB limit beside the field, before reading it (the limit Cloudflare would not enforce locally)', async () => {
		const operator = await open(OPERATOR, false);
		await operator.goto(`${appUrl}/operator/restore`);
		const before = await dump(databases);
		// From a file on disk: the browser reads it itself (a buffer this large crawls through the driver).
		const dir = mkdtempSync(join(tmpdir(), 'mamori-restore-'));
		try {
			for (const size of [10 * 1024 * 1024 + 1, 11 * 1024 * 1024]) {
				const file = join(dir, `big-${size}.json`);
				writeFileSync(file, new Uint8Array(size).fill(0x20));
				await restore(operator, { code: '132080', slug: 'too-large' }, file);
				await untilText(operator.locator('#file-error'), 'ファイルが大きすぎます（上限 10 MB）');
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		expect(differences(before, await dump(databases))).toEqual([]);
	});

	it('serves the published JSON Schema at its stable address, to anyone', async () => {
		const response = await fetch(`${appUrl}/export-format.schema.json`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/schema\+json/);
		const schema = JSON.parse(await response.text()) as Record<string, unknown>;
		const docs = readFileSync(new URL('../../../docs/export-format.schema.json', import.meta.url), 'utf8');
		expect(schema).toEqual(JSON.parse(docs));
	});
});
