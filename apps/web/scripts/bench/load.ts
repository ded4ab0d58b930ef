// The load of `npm run bench`: a target is asked `concurrency` at a time for a short slice of
// time; the targets' slices are interleaved (baseline, page, page, …, then again in another
// order), so that a machine busy with something else for a while weighs on every target alike.

export interface Target {
	label: string;
	url: string;
	cookie?: string;
	accept?: string;
	/**
	 * Each request from an address of its own (CF-Connecting-IP), as many residents asking at once:
	 * the API limits each address to 60 requests a minute, which a load from one would exhaust.
	 */
	manyClients?: boolean;
}

export interface Trips {
	count: number;
	waves: number;
}

interface Sample {
	ms: number;
	status: number;
	bytes: number;
	trips: Trips | null;
}

export interface Figures {
	label: string;
	concurrency: number;
	requests: number;
	errors: number;
	statuses: string;
	p50: number;
	p95: number;
	p99: number;
	rps: number;
	bytes: number;
	trips: Trips | null;
}

/** The round trips and waves the database layer counted, from Server-Timing (outside production). */
export function tripsOf(response: Response): Trips | null {
	const found = /db;desc="(\d+) round trips in (\d+) waves"/.exec(response.headers.get('server-timing') ?? '');
	return found ? { count: Number(found[1]), waves: Number(found[2]) } : null;
}

let clients = 0;
/** The next address of the private 10.0.0.0/8: each used once in a run. */
const nextClient = () => {
	const n = clients++;
	return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

async function once(target: Target): Promise<Sample> {
	const started = performance.now();
	const response = await fetch(target.url, {
		redirect: 'manual',
		headers: {
			accept: target.accept ?? 'text/html',
			...(target.cookie ? { cookie: target.cookie } : {}),
			...(target.manyClients ? { 'cf-connecting-ip': nextClient() } : {})
		}
	});
	const body = await response.arrayBuffer();
	return { ms: performance.now() - started, status: response.status, bytes: body.byteLength, trips: tripsOf(response) };
}

async function slice(target: Target, concurrency: number, ms: number): Promise<{ samples: Sample[]; ms: number }> {
	const samples: Sample[] = [];
	const started = performance.now();
	const until = started + ms;
	const worker = async () => {
		while (performance.now() < until) {
			try {
				samples.push(await once(target));
			} catch {
				samples.push({ ms: performance.now() - started, status: 0, bytes: 0, trips: null });
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { samples, ms: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function figures(label: string, concurrency: number, samples: Sample[], ms: number): Figures {
	const times = samples.map((s) => s.ms).sort((a, b) => a - b);
	const statuses = new Map<number, number>();
	for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
	// The fewest trips seen: an isolate's first load of the taxonomy is not the page's cost.
	const trips = samples
		.map((s) => s.trips)
		.filter((t) => t !== null)
		.reduce<Trips | null>((a, b) => (!a || b.count < a.count ? b : a), null);
	return {
		label,
		concurrency,
		requests: samples.length,
		errors: samples.filter((s) => s.status !== 200).length,
		statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(' '),
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		p99: percentile(times, 99),
		rps: (samples.length * 1000) / ms,
		bytes: samples.find((s) => s.status === 200)?.bytes ?? 0,
		trips
	};
}

/**
 * Each target at each concurrency, `rounds` slices of `sliceMs` each, interleaved: one slice of
 * every target, then the next round with the order turned by one.
 */
export async function interleaved(
	targets: Target[],
	options: { concurrency: number[]; rounds: number; sliceMs: number; log?: (line: string) => void }
): Promise<Figures[]> {
	for (const target of targets) await once(target); // warm: the isolate, its caches, the namespaces
	const results: Figures[] = [];
	for (const concurrency of options.concurrency) {
		const gathered = new Map<string, { samples: Sample[]; ms: number }>();
		for (let round = 0; round < options.rounds; round++) {
			for (let i = 0; i < targets.length; i++) {
				const target = targets[(i + round) % targets.length]!;
				const done = await slice(target, concurrency, options.sliceMs);
				const sum = gathered.get(target.label) ?? { samples: [], ms: 0 };
				sum.samples.push(...done.samples);
				sum.ms += done.ms;
				gathered.set(target.label, sum);
			}
		}
		for (const target of targets) {
			const sum = gathered.get(target.label)!;
			const f = figures(target.label, concurrency, sum.samples, sum.ms);
			options.log?.(
				`  c=${concurrency} ${f.label}: p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ${f.rps.toFixed(1)} rps, ${f.errors} errors`
			);
			results.push(f);
		}
	}
	return results;
}

/** Times one operation `times` times in a row: [median, max] in ms. */
export async function timed(
	times: number,
	operation: () => Promise<unknown>
): Promise<{ median: number; max: number }> {
	const ms: number[] = [];
	for (let i = 0; i < times; i++) {
		const started = performance.now();
		await operation();
		ms.push(performance.now() - started);
	}
	ms.sort((a, b) => a - b);
	return { median: percentile(ms, 50), max: ms.at(-1)! };
}
