// Lighthouse (the npm package, its default mobile settings: a Moto G class phone on a throttled
// connection, simulated) against the running stack, with Debian's chromium. Each page is audited
// `runs` times in one browser and the run with the median performance score is kept, as
// Lighthouse's own guidance on variance advises.
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';

export interface Audited {
	label: string;
	path: string;
	performance: number;
	accessibility: number;
	/** Total blocking time and largest contentful paint, ms. */
	tbtMs: number;
	lcpMs: number;
	/** The accessibility audits that failed, by id. */
	failing: string[];
	/** Where the main thread's time went, the largest first ("Style & Layout 820 ms, …"). */
	mainThread: string;
	/** Lighthouse's measure of this machine's speed at the time (a desktop of 2020 is about 1,500). */
	benchmarkIndex: number;
}

const CHROME_FLAGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

export async function audit(
	appUrl: string,
	pages: { label: string; path: string; cookie?: string }[],
	runs: number
): Promise<Audited[]> {
	const chrome = await launch({
		chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		chromeFlags: CHROME_FLAGS
	});
	try {
		const audited: Audited[] = [];
		for (const page of pages) {
			const results: Audited[] = [];
			for (let i = 0; i < runs; i++) {
				const result = await lighthouse(`${appUrl}${page.path}`, {
					port: chrome.port,
					logLevel: 'error',
					onlyCategories: ['performance', 'accessibility'],
					// The session cookie on every request of the page (a signed-in view).
					...(page.cookie ? { extraHeaders: { cookie: page.cookie } } : {})
				});
				if (!result) throw new Error(`Lighthouse gave no result for ${page.path}`);
				const { categories, audits } = result.lhr;
				results.push({
					label: page.label,
					path: page.path,
					performance: Math.round((categories.performance?.score ?? 0) * 100),
					accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
					tbtMs: audits['total-blocking-time']?.numericValue ?? NaN,
					lcpMs: audits['largest-contentful-paint']?.numericValue ?? NaN,
					failing: (categories.accessibility?.auditRefs ?? [])
						.filter((ref) => ref.weight > 0 && audits[ref.id]?.score === 0)
						.map((ref) => ref.id),
					mainThread: mainThreadOf(audits['mainthread-work-breakdown']?.details),
					benchmarkIndex: result.lhr.environment.benchmarkIndex
				});
			}
			results.sort((a, b) => a.performance - b.performance);
			audited.push(results[Math.floor(results.length / 2)]!);
		}
		return audited;
	} finally {
		chrome.kill();
	}
}

function mainThreadOf(details: unknown): string {
	const items = ((details as { items?: { groupLabel?: string; duration?: number }[] } | undefined)?.items ?? [])
		.filter((item) => (item.duration ?? 0) >= 50)
		.sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0));
	return items.map((item) => `${item.groupLabel} ${(item.duration ?? 0).toFixed(0)} ms`).join(', ');
}
