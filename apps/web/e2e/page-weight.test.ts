// The JavaScript budget (issue 17): at most 35 KB gzip on any page, weighed from the build that
// the browser tests run (page-weight.ts) on every page the crawls find, as each kind of user. A
// page added later is weighed without editing this file. Nothing is timed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT, JS_BUDGET, OVER_BUDGET, weighCrawled } from './page-weight.ts';
import { appUrl } from './stack.ts';

describe('JavaScript per page (gzip, from the built client)', () => {
	it('reads the build that the browser tests run', () => {
		expect(existsSync(join(CLIENT, '_app/immutable'))).toBe(true);
	});

	it(`no page sends more than ${JS_BUDGET} bytes of JavaScript, and a page over it only shrinks`, async () => {
		const weighed = await weighCrawled(appUrl);
		console.log(
			'JavaScript per page (gzip B):\n' +
				weighed
					.map(
						(w) =>
							`  ${String(w.gzip).padStart(6)}  ${String(w.files).padStart(3)} files  ${w.who.padEnd(15)} ${w.path}`
					)
					.join('\n')
		);
		// The crawls reach the pages the budget names (the overview, an initiative, the benchmarks).
		const routes = new Set(weighed.map((w) => w.route));
		for (const route of ['/', '/[tenant]', '/[tenant]/initiatives/[id]', '/benchmarks', '/benchmarks/trend'])
			expect(routes, route).toContain(route);
		// Where the app runs, its runtime is counted (the weighing follows what the page starts).
		expect(weighed.find((w) => w.route === '/login')?.gzip).toBeGreaterThan(30_000);
		const over = weighed
			.filter((w) => w.gzip > (OVER_BUDGET[w.route] ?? JS_BUDGET))
			.map((w) => `${w.route} as ${w.who}: ${w.gzip} B (at most ${OVER_BUDGET[w.route] ?? JS_BUDGET})`);
		expect(over).toEqual([]);
		// A listed page that now meets the budget leaves the list.
		const heaviest = (route: string) => Math.max(0, ...weighed.filter((w) => w.route === route).map((w) => w.gzip));
		const within = Object.keys(OVER_BUDGET).filter((route) => routes.has(route) && heaviest(route) <= JS_BUDGET);
		expect(within).toEqual([]);
	});
});
