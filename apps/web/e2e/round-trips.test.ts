// The round-trip budget of the pages people use most (issue 17): the database layer counts each
// request's round trips to sqld and their sequential waves (Server-Timing outside production);
// this reads them from the running app in workerd. A change that adds a wait fails here, on any
// machine, however fast: it counts, it does not time.
import { describe, expect, it } from 'vitest';
import { get, signInCookie } from './http.ts';
import { appUrl } from './stack.ts';

interface Trips {
	count: number;
	waves: number;
}

function tripsOf(response: Response): Trips {
	const timing = response.headers.get('server-timing') ?? '';
	const found = /db;desc="(\d+) round trips in (\d+) waves"/.exec(timing);
	if (!found) throw new Error(`no round-trip count on ${response.url}: server-timing ${JSON.stringify(timing)}`);
	return { count: Number(found[1]), waves: Number(found[2]) };
}

/**
 * The fewest trips of three loads. The first load of an isolate reads the shared taxonomy, and
 * another test file may publish a taxonomy version meanwhile; a page over budget is over it
 * every time.
 */
async function fewest(path: string, cookie?: string): Promise<Trips & { status: number }> {
	const seen: (Trips & { status: number })[] = [];
	for (let i = 0; i < 3; i++) {
		const response = await get(appUrl, path, cookie);
		await response.arrayBuffer();
		seen.push({ ...tripsOf(response), status: response.status });
	}
	return seen.reduce((a, b) => (b.count < a.count || (b.count === a.count && b.waves < a.waves) ? b : a));
}

describe('round trips per page', () => {
	it('a city plan overview and an initiative page: at most 2 round trips in at most 2 waves', async () => {
		const cookie = await signInCookie(appUrl, 'admin@meguro.example');
		const overview = await (await get(appUrl, '/meguro', cookie)).text();
		const initiative = /href="(\/meguro\/initiatives\/[^"?#]+)"/.exec(overview)?.[1];
		expect(initiative, 'the overview links an initiative').toBeTruthy();
		for (const path of ['/meguro', initiative!]) {
			const trips = await fewest(path, cookie);
			expect({ path, ...trips }).toEqual({ path, status: 200, count: expect.any(Number), waves: expect.any(Number) });
			expect(trips.count, `${path}: round trips`).toBeLessThanOrEqual(2);
			expect(trips.waves, `${path}: waves`).toBeLessThanOrEqual(2);
		}
	});

	it('the benchmark indicator view: one round trip after the session, for an official and an operator', async () => {
		for (const email of ['official@tokyo.example', 'operator@mamori.example']) {
			const cookie = await signInCookie(appUrl, email);
			for (const path of ['/benchmarks', '/benchmarks?year=latest', '/benchmarks?pref=13&indicator=bicycle_thefts']) {
				const trips = await fewest(path, cookie);
				expect(trips.status, `${email} ${path}`).toBe(200);
				expect([trips.count, trips.waves], `${email} ${path}: round trips, waves`).toEqual([2, 2]);
			}
		}
	});

	it('the operator console: 2 round trips, reading what the migrator recorded (no city database probed)', async () => {
		const cookie = await signInCookie(appUrl, 'operator@mamori.example');
		for (const path of ['/operator', '/operator?search=meguro', '/operator?state=behind&page=2']) {
			const trips = await fewest(path, cookie);
			expect(trips.status, path).toBe(200);
			expect([trips.count, trips.waves], `${path}: round trips, waves`).toEqual([2, 2]);
		}
	});

	it('a page that needs no database reads none', async () => {
		const trips = await fewest('/login');
		expect([trips.status, trips.count]).toEqual([200, 0]);
	});
});
