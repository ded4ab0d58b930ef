import { describe, expect, it } from 'vitest';
import { admission, inFlightLimit, REQUESTS_IN_FLIGHT } from './admission.ts';

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('admission: requests an isolate works on at once', () => {
	it('lets in at most the limit; the others wait and go in order as requests leave', async () => {
		const gate = admission();
		const order: number[] = [];
		const leaves: (() => void)[] = [];
		const requests = Array.from({ length: 5 }, (_, i) =>
			gate.enter(2).then((leave) => {
				order.push(i);
				leaves[i] = leave;
			})
		);
		await settle();
		expect(order).toEqual([0, 1]);
		expect(gate.state).toEqual({ inFlight: 2, waiting: 3 });
		leaves[1]!();
		leaves[1]!(); // leaving twice frees one place only
		await settle();
		expect(order).toEqual([0, 1, 2]);
		expect(gate.state).toEqual({ inFlight: 2, waiting: 2 });
		leaves[0]!();
		leaves[2]!();
		await settle();
		expect(order).toEqual([0, 1, 2, 3, 4]);
		await Promise.all(requests);
		leaves[3]!();
		leaves[4]!();
		expect(gate.state).toEqual({ inFlight: 0, waiting: 0 });
	});

	it('while the database is failing nobody waits, then the limit holds again', async () => {
		let clock = 0;
		const gate = admission(() => clock);
		const first = await gate.enter(1);
		let waited = false;
		const second = gate.enter(1).then((leave) => ((waited = true), leave));
		await settle();
		expect(waited).toBe(false);
		gate.failing(); // a request found the database failing: the waiting one goes now
		await settle();
		expect(waited).toBe(true);
		const third = await gate.enter(1); // and a new one is let in at once
		expect(gate.state).toEqual({ inFlight: 3, waiting: 0 });
		clock = 10_001; // the database has not failed since
		let fourthIn = false;
		void gate.enter(1).then(() => (fourthIn = true));
		await settle();
		expect(fourthIn).toBe(false);
		first();
		(await second)();
		third();
		await settle();
		expect(fourthIn).toBe(true);
	});

	it('no limit when REQUESTS_IN_FLIGHT is 0; the default when it is not a whole number', async () => {
		const gate = admission();
		await Promise.all(Array.from({ length: 100 }, () => gate.enter(0)));
		expect(gate.state).toEqual({ inFlight: 100, waiting: 0 });
		expect([inFlightLimit('0'), inFlightLimit('4'), inFlightLimit(undefined), inFlightLimit('x')]).toEqual([
			0,
			4,
			REQUESTS_IN_FLIGHT,
			REQUESTS_IN_FLIGHT
		]);
	});
});
