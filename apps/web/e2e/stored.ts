// What a page stored, read straight from a database of the running stack (sqld's HTTP API), and
// the links a test follows to reach the items it changes.
import type { Page } from 'playwright-core';

type Client = { execute(q: { sql: string; args: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> };

/** The rows `sql` selects. */
export async function storedRows(db: unknown, sql: string, args: unknown[] = []): Promise<Record<string, unknown>[]> {
	return (await (db as Client).execute({ sql, args })).rows;
}

/** The first row `sql` selects, or undefined. */
export async function storedRow(
	db: unknown,
	sql: string,
	args: unknown[] = []
): Promise<Record<string, unknown> | undefined> {
	return (await storedRows(db, sql, args))[0];
}

/** The href of a link under `prefix` on `url`, `fromEnd` links before the last one. */
export async function linkFromEnd(page: Page, url: string, prefix: string, fromEnd = 0): Promise<string> {
	await page.goto(url);
	const links = page.locator(`a[href^="${prefix}"]`);
	const href = await links.nth((await links.count()) - 1 - fromEnd).getAttribute('href');
	return new URL(href!, url).href;
}

/** The last path segment of a URL: the id of the item its page shows. */
export const idOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
