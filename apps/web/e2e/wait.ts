// Waiting for a condition, not for a time: Playwright re-checks the locator until it holds, up to
// its own default timeout (30 s), which a busy machine does not reach the way it reaches
// expect.poll's one second.
import type { Locator } from 'playwright-core';

/** Resolves once the element `locator` points at contains `text`. */
export async function untilText(locator: Locator, text: string): Promise<void> {
	await locator.filter({ hasText: text }).waitFor();
}
