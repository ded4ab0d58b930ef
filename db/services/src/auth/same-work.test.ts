// Sign-in does the same work whether or not the address has an account, so neither its answer nor
// its time tells (the review measured the reset form's times; this proves the cause is gone without
// timing anything, which a busy machine would make flaky): the same answer, the same round trips to
// the core database and the same scrypt derivation, with the same cost parameters.
import { openCore, RoundTrips } from '@mamori/db';
import { scrypt } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { authWorld, type AuthWorld } from '../../test/auth-world.ts';
import { signIn } from './sign-in.ts';

vi.mock('node:crypto', async (importOriginal) => {
	const real = await importOriginal<typeof import('node:crypto')>();
	return { ...real, scrypt: vi.fn(real.scrypt) };
});

const derivations = () =>
	vi.mocked(scrypt).mock.calls.map(([, salt, keyLength, options]) => ({
		saltLength: (salt as Uint8Array).byteLength,
		keyLength,
		options
	}));

describe('sign-in does the same work for a known and an unknown address (real sqld)', () => {
	let world: AuthWorld;
	beforeAll(async () => {
		world = await authWorld();
	});

	/** The answer and the work of one sign-in, from its own address (no throttle in the way). */
	async function work(email: string, address: string) {
		const meter = new RoundTrips();
		const core = openCore({ ...world.location, meter });
		vi.mocked(scrypt).mockClear();
		const answer = await signIn({ core, input: { email, password: 'not the password 1', address } });
		return { answer, roundTrips: meter.count, derivations: derivations() };
	}

	it('a wrong password for an account and any password for no account: same answer, same queries, same scrypt', async () => {
		const known = await work('editor@meguro.example', '192.0.2.201');
		const unknown = await work('nobody-here@meguro.example', '192.0.2.202');
		expect(known.answer).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual(known);
		expect(known.derivations).toHaveLength(1);
		expect(known.derivations[0]).toMatchObject({ keyLength: 32, options: { N: 2 ** 14, r: 8, p: 5 } });
		console.log(
			`sign-in work, known and unknown address: ${known.roundTrips} core round trips, ${known.derivations.length} scrypt (N=2^14, r=8, p=5)`
		);
	});
});
