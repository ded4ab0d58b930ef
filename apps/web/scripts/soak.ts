// npm run soak — 200 simulated users across 50 cities (the three seed cities and 47 copies of
// 小金井市's plan) reading and saving for 60 s against the built app in workerd and its own sqld
// (`npm run build` first). Prints the figures and exits 1 on any error other than a conflict, or
// any accepted save lost or applied twice. SOAK_USERS, SOAK_CITIES and SOAK_SECONDS change the size.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startOwnStack } from './own-stack.ts';
import { describeSoak, runSoak } from './soak-load.ts';
import { repoRoot } from './stack.ts';

const users = Number(process.env.SOAK_USERS ?? 200);
const cities = Number(process.env.SOAK_CITIES ?? 50);
const seconds = Number(process.env.SOAK_SECONDS ?? 60);

if (!existsSync(join(repoRoot, 'apps/web/.svelte-kit/cloudflare/_worker.js'))) {
	console.log('ビルドがありません。先に npm run build を実行してください。 (no build: run `npm run build` first)');
	process.exit(1);
}
const setup = Date.now();
const stack = await startOwnStack({ extraCities: Math.max(0, cities - 3), log: (line) => console.log(line) });
let report: Awaited<ReturnType<typeof runSoak>>;
try {
	console.log(`stack ready in ${((Date.now() - setup) / 1000).toFixed(1)} s: ${stack.url}`);
	report = await runSoak({ appUrl: stack.url, cities: stack.cities, cityUrl: stack.cityUrl, users, seconds });
} finally {
	await stack.stop();
	rmSync(stack.dataDir, { recursive: true, force: true });
}
console.log(describeSoak(report));
for (const sample of report.errorSamples) console.log(`  error: ${sample}`);
process.exit(report.errors > 0 || report.lost > 0 || report.doubled > 0 ? 1 : 0);
