// axe-core with the WCAG 2.x A/AA rules, as the accessibility tests run it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page, one line each (the rule and its first few nodes). The app has
 * no frames, so axe runs in the page itself. Its source (half a megabyte) goes into a page once and
 * stays until the page navigates, so a page checked at several widths compiles it once: most of a
 * check's time on a busy machine was that compile, twice per check in @axe-core/playwright.
 */
export async function violations(page: Page): Promise<string[]> {
	if (!(await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === 'function')))
		await page.evaluate(AXE_SOURCE);
	const { violations } = await page.evaluate(
		(tags) =>
			(window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
				runOnly: { type: 'tag', values: tags },
				// Violations are reported in full whatever this says; the other kinds are not needed.
				resultTypes: ['violations']
			}) as Promise<AxeResults>,
		WCAG_TAGS
	);
	return violations.map(
		(v) =>
			`${v.id}: ${v.nodes
				.map((n) => n.target.join(' '))
				.slice(0, 3)
				.join(', ')}`
	);
}
