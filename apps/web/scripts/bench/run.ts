// npm run bench [-- --quick] [-- --fleet N] [-- --no-build] [-- --out FILE] — issue 17's benchmark.
// Builds the app, starts sqld and both Workers in workerd (the stack of npm start, with the
// baseline page on), grows a synthetic fleet of one city per municipality (fleet.ts) and measures,
// interleaved with the baseline in the same run: the pages, the benchmark views at 3, 100 and the
// whole fleet, the fleet migration, the drift check, publishing through the form, sqld's memory
// and disk, Lighthouse on mobile settings (lighthouse.ts), then page weight (its own script).
// Writes BENCHMARKS.md.
// --quick: a fleet of 200, shorter slices, written to the temporary directory unless --out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openCore, openTenant } from '@mamori/db';
import { freePort, migrateFleet } from '@mamori/db/node';
import { verifyAllPublications } from '@mamori/services/benchmarks';
import { postForm, signInCookie } from '../../e2e/http.ts';
import { repoRoot, startStack } from '../stack.ts';
import { audit } from './lighthouse.ts';
import { BENCHMARK_YEAR, loadFleet, registerFleet, spread, syntheticFleet } from './fleet.ts';
import { interleaved, timed, tripsOf, type Figures, type Target } from './load.ts';
import { render, type Report } from './report.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const fleetSize = Number(flag('--fleet') ?? (quick ? 200 : 1741));
const out = flag('--out') ?? (quick ? join(tmpdir(), 'BENCHMARKS.quick.md') : join(repoRoot, 'BENCHMARKS.md'));
const load = quick
	? { concurrency: [1, 10, 50], rounds: 2, sliceMs: 600 }
	: { concurrency: [1, 10, 50], rounds: 3, sliceMs: 1500 };
const began = Date.now();
const DRIFT_CONCURRENCY = 16;
const BENCHMARKS = `/benchmarks?year=${BENCHMARK_YEAR}`;
const V1_BENCHMARK = `/v1/benchmarks/01/alert_mail_subscribers?fiscalYear=${BENCHMARK_YEAR}`;
const say = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const report: Report = {
	command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
	startedAt: new Date().toISOString(),
	machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
	loadBefore: loadavg(),
	uptimeBefore: uptime(),
	loadAfter: [],
	fleetSize,
	steps: [],
	pages: [],
	roundTrips: [],
	benchmarkViews: [],
	operator: [],
	fleet: {},
	notes: []
};
const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
	say(`${name}…`);
	const started = performance.now();
	const result = await work();
	const ms = performance.now() - started;
	report.steps.push({ name, ms });
	// Written after every step: a run cut short still leaves what it measured.
	writeFileSync(out, render(report));
	say(`${name}: ${(ms / 1000).toFixed(1)} s`);
	return result;
};

if (!args.includes('--no-build'))
	await step('build (npm run build)', async () => {
		const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
		if (built.status !== 0) throw new Error('the build failed');
	});

// wrangler's cold start takes minutes on a machine busy with other work.
process.env.MAMORI_WORKER_START_S ??= '600';
const dataDir = mkdtempSync(join(tmpdir(), 'mamori-bench-'));
const stack = await step('start sqld, migrate, seed, start both Workers', async () =>
	startStack({
		port: await freePort(),
		apiPort: await freePort(),
		dataDir,
		vars: { MAMORI_BENCH: '1' },
		log: say
	})
);
const app = stack.url;
say(`web app ${app}, API ${stack.apiUrl}, core ${stack.coreUrl}`);
const core = { url: stack.coreUrl };
const directory = stack.directory;

try {
	const [admin, hokkaido, tokyo, operator] = await Promise.all(
		['admin@meguro.example', 'official@hokkaido.example', 'official@tokyo.example', 'operator@mamori.example'].map(
			(email) => signInCookie(app, email)
		)
	);
	const overviewHtml = await (await fetch(`${app}/meguro`, { headers: { cookie: admin! } })).text();
	const initiative = /href="(\/meguro\/initiatives\/[^"?#]+)"/.exec(overviewHtml)?.[1];
	if (!initiative) throw new Error('no initiative linked from /meguro');
	const baseline: Target = { label: 'baseline (1 read, trivial template)', url: `${app}/bench/baseline` };
	const probe = await fetch(baseline.url);
	if (probe.status !== 200) throw new Error(`the baseline page answers ${probe.status}`);

	const benchmarkTargets: Target[] = [
		baseline,
		{ label: 'benchmarks, official of 北海道', url: `${app}${BENCHMARKS}`, cookie: hokkaido! },
		{ label: 'benchmarks, official of 東京都', url: `${app}${BENCHMARKS}`, cookie: tokyo! },
		{ label: 'benchmarks ?pref=01, operator', url: `${app}${BENCHMARKS}&pref=01`, cookie: operator! }
	];
	const benchmarkPhase = async (tenants: number) => {
		const figures = await interleaved(benchmarkTargets, {
			concurrency: [1, 10],
			rounds: 2,
			sliceMs: quick ? 500 : 1000,
			log: say
		});
		const coverage = await fetch(`${app}/benchmarks/coverage?pref=01`, { headers: { cookie: hokkaido! } });
		const coverageBytes = (await coverage.arrayBuffer()).byteLength;
		report.benchmarkViews.push({ tenants, figures, coverageBytes });
	};

	await step('benchmark views with the 3 seed cities', () => benchmarkPhase(3));

	const { cities } = syntheticFleet(join(repoRoot, 'seeds'));
	const fleet = spread(cities, fleetSize - 3);
	const first = spread(fleet, Math.min(97, Math.max(0, fleet.length - 1)));
	const firstSlugs = new Set(first.map((c) => c.slug));
	const rest = fleet.filter((c) => !firstSlugs.has(c.slug));
	await step(`register ${fleet.length} cities and provision their empty databases`, () =>
		registerFleet({ core, directory, cities: fleet })
	);
	const fresh = await step(`fleet migration, fresh (${fleet.length + 3} city databases)`, () =>
		migrateFleet({ core, locate: (name) => directory.locate(name) })
	);
	const noop = await step('fleet migration, nothing to do', () =>
		migrateFleet({ core, locate: (name) => directory.locate(name) })
	);
	report.fleet.migrateFresh = {
		ms: report.steps.at(-2)!.ms,
		tenants: fresh.tenants.length,
		failed: fresh.failed.length
	};
	report.fleet.migrateNoop = { ms: report.steps.at(-1)!.ms, tenants: noop.tenants.length, failed: noop.failed.length };
	for (const f of [...fresh.failed, ...noop.failed]) report.notes.push(`migration failed: ${f.slug}: ${f.error}`);

	const loaded1 = await step(`load and publish ${first.length} cities (to ${first.length + 3})`, () =>
		loadFleet({ core, directory, cities: first })
	);
	await step(`benchmark views with ${first.length + 3} cities`, () => benchmarkPhase(first.length + 3));
	const loaded2 = await step(`load and publish ${rest.length} cities (to ${fleetSize})`, () =>
		loadFleet({ core, directory, cities: rest })
	);
	report.fleet.load = {
		ms: report.steps.at(-1)!.ms + report.steps.at(-3)!.ms,
		cities: fleet.length,
		publications: loaded1.publications + loaded2.publications
	};
	await step(`benchmark views with ${fleetSize} cities`, () => benchmarkPhase(fleetSize));

	const pages: Target[] = [
		baseline,
		{ label: 'plan overview /meguro', url: `${app}/meguro`, cookie: admin! },
		{ label: 'initiative page', url: `${app}${initiative}`, cookie: admin! },
		{ label: 'benchmark indicator view (北海道)', url: `${app}${BENCHMARKS}`, cookie: hokkaido! },
		{ label: 'resident page /shimin/koganei', url: `${app}/shimin/koganei` },
		// The same facts as JSON from the API, of the prefecture with the most cities.
		{
			label: `API ${V1_BENCHMARK}`,
			url: `${stack.apiUrl}${V1_BENCHMARK}`,
			accept: 'application/json',
			manyClients: true
		}
	];
	report.pages = await step(`pages at concurrency ${load.concurrency.join(', ')} (${fleetSize} cities)`, () =>
		interleaved(pages, { ...load, log: say })
	);

	report.operator = await step('operator console', () =>
		interleaved(
			[
				baseline,
				{ label: 'operator console /operator', url: `${app}/operator`, cookie: operator! },
				{ label: 'operator console, search', url: `${app}/operator?search=%E5%B8%82`, cookie: operator! }
			],
			{ concurrency: [1], rounds: 2, sliceMs: quick ? 500 : 1500 }
		)
	);

	// Every page of the list, once each, with the trips the database layer counted.
	for (const [path, cookie] of [
		['/meguro', admin],
		[initiative, admin],
		['/meguro/kpis', admin],
		['/meguro/benchmarks', admin],
		[BENCHMARKS, hokkaido],
		['/benchmarks?pref=13&indicator=bicycle_thefts', operator],
		['/benchmarks/coverage?pref=01', hokkaido],
		['/shimin/koganei', undefined],
		['/operator', operator],
		['/login', undefined],
		['/bench/baseline', undefined],
		[V1_BENCHMARK, undefined]
	] as const) {
		const origin = path.startsWith('/v1/') ? stack.apiUrl : app;
		const seen = [];
		for (let i = 0; i < 3; i++) {
			const response = await fetch(`${origin}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
			const bytes = (await response.arrayBuffer()).byteLength;
			seen.push({ status: response.status, bytes, trips: tripsOf(response) });
		}
		const best = seen.reduce((a, b) => ((b.trips?.count ?? 99) < (a.trips?.count ?? 99) ? b : a));
		report.roundTrips.push({ path, ...best });
	}

	await step(`drift check over ${fleetSize} cities`, async () => {
		const db = openCore(core);
		try {
			const drift = await verifyAllPublications({
				core: db,
				open: (tenant) => openTenant({ url: tenant.databaseUrl }),
				// The cron takes 8 (a Worker opens at most 6 connections at once); Node takes 16.
				concurrency: DRIFT_CONCURRENCY
			});
			report.fleet.drift = {
				ms: 0,
				cities: drift.checkedTenants,
				differences: drift.drift.length,
				errors: drift.errors.length
			};
			for (const e of drift.errors.slice(0, 5)) report.notes.push(`drift check error: ${e.slug}: ${e.error}`);
		} finally {
			db.$client.close();
		}
	});
	report.fleet.drift!.ms = report.steps.at(-1)!.ms;

	const publishing = await step('publishing 目黒区 FY2020 through the web form, 5 times', () =>
		timed(5, async () => {
			const response = await postForm(app, '/meguro/benchmarks?/publish', { fiscalYear: '2020' }, { cookie: admin! });
			await response.arrayBuffer();
			if (response.status >= 400) throw new Error(`publishing answered ${response.status}`);
		})
	);
	report.fleet.publish = publishing;

	report.fleet.sqld = sqldFootprint(stack.sqld.process.pid!, dataDir);

	if (!args.includes('--no-lighthouse'))
		report.lighthouse = await step('Lighthouse, mobile (overview, initiative, benchmarks)', () =>
			audit(
				app,
				[
					{ label: 'plan overview', path: '/meguro', cookie: admin! },
					{ label: 'initiative page', path: initiative, cookie: admin! },
					{ label: 'benchmark indicator view (北海道)', path: BENCHMARKS, cookie: hokkaido! }
				],
				quick ? 1 : 3
			)
		);
	else report.notes.push('Lighthouse: skipped (--no-lighthouse).');
	report.loadAfter = loadavg();
	report.uptimeAfter = uptime();
} finally {
	await stack.stop();
	rmSync(dataDir, { recursive: true, force: true });
}

await step('page weight (npm run page-weight)', async () => {
	const weight = spawnSync(process.execPath, [join(repoRoot, 'apps/web/scripts/page-weight.ts'), '--json'], {
		cwd: repoRoot,
		encoding: 'utf8',
		maxBuffer: 16 * 2 ** 20
	});
	const json = weight.stdout.slice(weight.stdout.indexOf('['));
	try {
		report.weight = JSON.parse(json) as Report['weight'];
	} catch {
		report.notes.push(`page weight failed: ${(weight.stderr || weight.stdout).slice(-500)}`);
	}
});

report.totalMs = Date.now() - began;
writeFileSync(out, render(report));
say(`wrote ${out} (${(report.totalMs / 60000).toFixed(1)} min)`);

/** `uptime`'s line: the machine is shared, and its load and users say with how much else. */
function uptime(): string {
	return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
}

/** sqld's resident memory (now and at its peak) and the size of its data directory. */
function sqldFootprint(pid: number, dir: string) {
	const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
	const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
	const du = spawnSync('du', ['-sb', join(dir, 'data.sqld')], { encoding: 'utf8' });
	return {
		rssMiB: kib('VmRSS') / 1024,
		peakMiB: kib('VmHWM') / 1024,
		diskMiB: Number(du.stdout.split('\t')[0]) / 2 ** 20
	};
}

export type { Figures };
