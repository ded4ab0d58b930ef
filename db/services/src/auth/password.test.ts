import { cityWords } from './users.ts';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_COUNT } from './common-passwords.ts';
import {
	hashPassword,
	parsePasswordHash,
	passwordProblem,
	DEFAULT_DEMO_PASSWORD,
	PASSWORD_MIN_LENGTH,
	SCRYPT,
	scryptMemory,
	verifyPassword
} from './password.ts';

const MiB = 1024 * 1024;

describe('password hashing (scrypt, PHC string)', () => {
	it('stores algorithm, parameters, salt and hash; verifies the right password only', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
		expect(await verifyPassword(hash, 'correct horse battery')).toEqual({ ok: true, needsRehash: false });
		expect(await verifyPassword(hash, 'correct horse batterY')).toEqual({ ok: false, needsRehash: false });
		expect(await hashPassword('correct horse battery')).not.toBe(hash); // a fresh salt each time
	});

	it('a full-width password typed with the IME is the same password (NFKC)', async () => {
		const hash = await hashPassword('mamori-demo');
		expect((await verifyPassword(hash, 'ｍａｍｏｒｉ－ｄｅｍｏ')).ok).toBe(true);
	});

	it('asks for a new hash at the next sign-in when the parameters were weaker', async () => {
		const { scrypt } = await import('node:crypto');
		const salt = new Uint8Array(16);
		const key = await new Promise<Buffer>((ok, fail) =>
			scrypt('old password', salt, 32, { N: 2 ** 12, r: 8, p: 1 }, (e, k) => (e ? fail(e) : ok(k)))
		);
		const old = `$scrypt$ln=12,r=8,p=1$${Buffer.from(salt).toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
		expect(await verifyPassword(old, 'old password')).toEqual({ ok: true, needsRehash: true });
		expect(await verifyPassword(old, 'wrong')).toEqual({ ok: false, needsRehash: false });
	});

	it('refuses malformed and unknown hashes, and parameters beyond the memory cap', async () => {
		expect((await verifyPassword('', 'x')).ok).toBe(false);
		expect((await verifyPassword('$argon2id$v=19$m=65536,t=3,p=4$abc$def', 'x')).ok).toBe(false);
		expect(parsePasswordHash('$scrypt$ln=22,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA')).toBeNull();
	});
});

describe('scrypt parameters stay within Cloudflare Workers production limits', () => {
	// Local workerd does not enforce production limits, so this test does.
	const WORKER_MEMORY = 128 * MiB;

	it('N=2^14, r=8, p=5 is one of OWASP’s settings, with an explicit maxmem', () => {
		expect({ N: 2 ** SCRYPT.ln, r: SCRYPT.r, p: SCRYPT.p }).toEqual({ N: 16384, r: 8, p: 5 });
		expect(SCRYPT.maxmem).toBeGreaterThanOrEqual(scryptMemory(SCRYPT));
	});

	it('needs 16 MiB (128·N·r); even all p lanes at once (128·N·r·p) stay well under 128 MB', () => {
		expect(scryptMemory(SCRYPT)).toBeLessThan(17 * MiB);
		expect(128 * 2 ** SCRYPT.ln * SCRYPT.r * SCRYPT.p).toBeLessThanOrEqual(80 * MiB);
		expect(128 * 2 ** SCRYPT.ln * SCRYPT.r * SCRYPT.p).toBeLessThan(WORKER_MEMORY * 0.75);
		// The cap itself leaves room for the rest of the Worker.
		expect(SCRYPT.maxmem).toBeLessThanOrEqual(WORKER_MEMORY / 2);
	});

	it('one hash costs far less CPU than a Worker may spend (30 s by default)', async () => {
		// CPU time of the whole process (scrypt runs on libuv's pool), not wall time: a busy
		// machine makes the wait longer, not the work.
		const before = process.cpuUsage();
		await hashPassword('timing the hash');
		const { user, system } = process.cpuUsage(before);
		expect((user + system) / 1e6).toBeLessThan(3);
	});
});

describe('password rules', () => {
	it('at least 8 characters (NIST), not one of the most common, not the e-mail name', () => {
		expect(PASSWORD_MIN_LENGTH).toBe(8);
		expect(passwordProblem('short1!')).toBe('too_short');
		expect(passwordProblem('x'.repeat(257))).toBe('too_long');
		expect(passwordProblem('password123')).toBe('common');
		expect(passwordProblem('QWERTYUIOP')).toBe('common');
		expect(passwordProblem('yamada-2026!', { email: 'yamada@city.example' })).toBe('contains_email');
		expect(passwordProblem('yamada loves long passphrases', { email: 'yamada@city.example' })).toBeNull();
		expect(passwordProblem('防犯計画を守る')).toBe('too_short'); // 7 characters
		expect(passwordProblem('防犯計画をみんなで守る')).toBeNull();
		expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(100);
	});

	it('refuses what the security review got accepted: spaces, one letter, the demo password, the city', () => {
		expect(passwordProblem('        ')).toBe('repetitive'); // eight spaces
		expect(passwordProblem('aaaaaaaaaaaa')).toBe('repetitive');
		expect(passwordProblem('ａａａａａａａａ')).toBe('repetitive'); // full-width, typed with the IME
		expect(passwordProblem('abababab')).toBe('repetitive');
		expect(passwordProblem('23456789')).toBe('repetitive');
		expect(passwordProblem('hgfedcba')).toBe('repetitive');
		expect(passwordProblem(DEFAULT_DEMO_PASSWORD)).toBe('common');
		expect(passwordProblem('MAMORI-DEMO')).toBe('common');
		expect(passwordProblem('mamori2026!!')).toBe('contains_context'); // the service's name
		const koganei = {
			email: 'sato@city.koganei.lg.jp',
			words: cityWords([{ name: '小金井市', kana: 'こがねいし', slug: 'koganei' }])
		};
		expect(passwordProblem('koganei2026', koganei)).toBe('contains_context');
		expect(passwordProblem('小金井市の防犯2026', koganei)).toBe('contains_context');
		expect(passwordProblem('こがねい防犯２０２６', koganei)).toBe('contains_context');
		// A context word does not count towards the length, but a long phrase around it is fine.
		expect(passwordProblem('新しい合言葉で小金井を守る', koganei)).toBeNull();
	});
});
