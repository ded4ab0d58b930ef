// Waiting for a condition, not for a time: Playwright re-checks the locator until it holds, up to
// its own default timeout (30 s), which a busy machine does not reach the way it reaches
// expect.poll's one second.
import type { Locator } from 'playwright-core';

/**
 * Resolves once the element `locator` points at contains `text`. When it never does, the error
 * says what the page showed instead (its address and the element's text), so that a failure in CI
 * can be understood from the log alone.
 */
export async function untilText(locator: Locator, text: string): Promise<void> {
	try {
		await locator.filter({ hasText: text }).waitFor();
	} catch (error) {
		const page = locator.page();
		const shown = await locator
			.first()
			.textContent({ timeout: 1000 })
			.catch(() => null);
		const where = `${page.url()} — ${shown === null ? 'no such element' : `it shows: ${shown.replace(/\s+/g, ' ').trim().slice(0, 600)}`}`;
		throw new Error(`“${text}” never appeared in ${String(locator)} at ${where}`, { cause: error });
	}
}
