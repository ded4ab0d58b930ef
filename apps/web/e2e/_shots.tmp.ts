import { launchBrowser } from './browser.ts';
import { signedInContext } from './session.ts';
const appUrl = 'http://127.0.0.1:8797';
const browser = await launchBrowser();
const only = process.argv[2]?.split(',');
const shots: [string, string, string][] = [
	['overview', '/meguro', 'editor@meguro.example'],
	['initiative', '', 'editor@meguro.example'],
	['kpis', '/meguro/kpis', 'editor@meguro.example'],
	['benchmarks', '/benchmarks', 'official@tokyo.example'],
	['compare', '/benchmarks/compare?pref=13&city=131105&city=132101', 'official@tokyo.example'],
	['coverage', '/benchmarks/coverage', 'official@tokyo.example'],
	['citybench', '/meguro/benchmarks', 'admin@meguro.example'],
	['departments', '/meguro/departments', 'admin@meguro.example'],
	['members', '/meguro/members', 'admin@meguro.example']
];
for (const [name, path0, email] of shots) {
	if (only && !only.includes(name)) continue;
	const context = await signedInContext(browser, appUrl, email);
	const page = await context.newPage();
	let path = path0;
	if (!path) {
		await page.goto(`${appUrl}/meguro`);
		path = (await page.locator('a[href^="/meguro/initiatives/"]').first().getAttribute('href'))!;
	}
	for (const width of [375, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		await page.goto(`${appUrl}${path}`);
		await page.screenshot({ path: `/tmp/formkit-shots/${name}-${width}.png`, fullPage: true });
	}
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: 794, height: 1123 });
	await page.screenshot({ path: `/tmp/formkit-shots/${name}-print.png`, fullPage: true });
	await context.close();
}
await browser.close();
