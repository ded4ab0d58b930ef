// axe-core with the WCAG 2.x A/AA rules, as the accessibility tests run it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's violations on the page, one line each (the rule and its first few nodes). The app has
 * no frames, so axe runs in the page itself (legacy mode) rather than per frame and then again in
 * a blank page to merge the frames' results.
 */
export async function violations(page: Page): Promise<string[]> {
	const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode().analyze();
	return violations.map(
		(v) =>
			`${v.id}: ${v.nodes
				.map((n) => n.target.join(' '))
				.slice(0, 3)
				.join(', ')}`
	);
}
