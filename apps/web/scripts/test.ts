// npm test — the whole suite: lint and types, then every vitest project. In one vitest run the
// browser project (its own group, two files at a time on a stack each) would wait for the node
// and workers projects to finish. They share nothing but the machine (each starts its own sqld
// on random ports), so they run as two lanes side by side:
//   checks: lint, types, then the node and workers projects;
//   browser: the build, then the browser project against it.
// Paraglide's messages are compiled once before both, with the options every vite plugin uses,
// so no lane rewrites them while another reads them. Each lane's lines carry its name; a lane
// goes on when the other fails, so one run shows every failure (only a failed build skips what needs it). The lanes' JSON reports are
// merged into test-results/vitest.json (.ci/run prints its counts).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.config.ts';
import { repoRoot } from './stack.ts';

/** `needed`: the lane's later steps use what it makes, so they are skipped when it fails. */
type Step = { name: string; command: string[]; env?: Record<string, string>; needed?: boolean };
const results = join(repoRoot, 'test-results');
const report = (lane: string) => join(results, `vitest-${lane}.json`);
const vitest = (lane: string, projects: string[]): Step => ({
	name: `vitest ${projects.join(' + ')}`,
	command: ['npx', 'vitest', 'run', ...projects.flatMap((p) => ['--project', p])],
	env: { MAMORI_VITEST_REPORT: report(lane) }
});
const lanes: Record<string, Step[]> = {
	checks: [
		{ name: 'lint', command: ['npm', 'run', 'lint'] },
		{ name: 'typecheck', command: ['npm', 'run', 'typecheck'] },
		vitest('checks', ['node', 'workers'])
	],
	browser: [{ name: 'build', command: ['npm', 'run', 'build'], needed: true }, vitest('browser', ['browser'])]
};

function run(lane: string, step: Step): Promise<boolean> {
	const started = Date.now();
	console.log(`[${lane}] ▶ ${step.name}`);
	return new Promise((resolve) => {
		const child = spawn(step.command[0]!, step.command.slice(1), {
			cwd: repoRoot,
			env: { ...process.env, ...step.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		for (const stream of [child.stdout, child.stderr]) {
			let rest = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk: string) => {
				const lines = (rest + chunk).split('\n');
				rest = lines.pop()!;
				for (const line of lines) console.log(`[${lane}] ${line}`);
			});
			stream.on('end', () => rest && console.log(`[${lane}] ${rest}`));
		}
		child.on('close', (code, signal) => {
			const seconds = Math.round((Date.now() - started) / 1000);
			console.log(`[${lane}] ${code === 0 ? '✓' : '✗'} ${step.name} (${seconds} s${signal ? `, ${signal}` : ''})`);
			resolve(code === 0);
		});
	});
}

async function runLane(lane: string): Promise<boolean> {
	let ok = true;
	for (const step of lanes[lane]!) {
		const passed = await run(lane, step);
		ok &&= passed;
		if (!passed && step.needed) break;
	}
	return ok;
}

/** One report as vitest's JSON reporter writes it: the lanes' counts summed, their files joined. */
function mergeReports() {
	const total = {
		numPassedTests: 0,
		numFailedTests: 0,
		numPendingTests: 0,
		numTotalTests: 0,
		testResults: [] as unknown[]
	};
	for (const lane of Object.keys(lanes)) {
		let part: typeof total;
		try {
			part = JSON.parse(readFileSync(report(lane), 'utf8'));
		} catch {
			continue; // the lane failed before vitest ran: its failure is printed above
		}
		total.numPassedTests += part.numPassedTests;
		total.numFailedTests += part.numFailedTests;
		total.numPendingTests += part.numPendingTests;
		total.numTotalTests += part.numTotalTests;
		total.testResults.push(...part.testResults);
	}
	writeFileSync(join(results, 'vitest.json'), JSON.stringify(total));
}

mkdirSync(results, { recursive: true });
for (const lane of Object.keys(lanes)) rmSync(report(lane), { force: true });
const started = Date.now();
await compile(paraglideOptions);
const outcomes = await Promise.all(Object.keys(lanes).map(runLane));
mergeReports();
console.log(
	`npm test: ${outcomes.every(Boolean) ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`
);
process.exit(outcomes.every(Boolean) ? 0 : 1);
