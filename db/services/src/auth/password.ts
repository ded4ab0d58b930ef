// Passwords: scrypt through node:crypto (native in workerd with the nodejs_compat flag, and in
// Node), stored as a PHC string `$scrypt$ln=14,r=8,p=5$<salt>$<hash>` so that the parameters can
// be raised later: a hash made with older parameters is replaced at the next sign-in.
// N=2^14, r=8, p=5 is one of OWASP's equivalent scrypt settings; it needs 128·N·r = 16 MiB
// (the p lanes run one after another), far below a Worker's 128 MB.
import { Buffer } from 'node:buffer';
import { scrypt } from 'node:crypto';
import { constantTimeEqual } from './tokens.ts';
import { isCommonPassword } from './common-passwords.ts';

export const SCRYPT = {
	ln: 14, // N = 2^ln
	r: 8,
	p: 5,
	keyLength: 32,
	saltLength: 16,
	// Explicit memory cap: scrypt refuses rather than exceed it (Node's default is 32 MiB).
	maxmem: 64 * 1024 * 1024
} as const;

export const PASSWORD_MIN_LENGTH = 8; // NIST SP 800-63B, with a check against common passwords
export const PASSWORD_MAX_LENGTH = 256;

interface ScryptParams {
	ln: number;
	r: number;
	p: number;
}

/** Bytes scrypt allocates for these parameters (OpenSSL/BoringSSL: 128·r·(N+2) + 128·r·p). */
export function scryptMemory({ ln, r, p }: ScryptParams): number {
	return 128 * r * (2 ** ln + 2) + 128 * r * p;
}

/**
 * NFKC, so that a password typed with the IME in full-width mode (ｐａｓｓ１２３) is the same
 * password as its half-width form. Fixed once: changing it would lock everyone out.
 */
export function normalizePassword(password: string): string {
	return password.normalize('NFKC');
}

function derive(password: string, salt: Uint8Array, params: ScryptParams, keyLength: number): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		scrypt(
			normalizePassword(password),
			salt,
			keyLength,
			{ N: 2 ** params.ln, r: params.r, p: params.p, maxmem: SCRYPT.maxmem },
			(error, key) => (error ? reject(error) : resolve(new Uint8Array(key)))
		);
	});
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export async function hashPassword(password: string): Promise<string> {
	const salt = new Uint8Array(SCRYPT.saltLength);
	crypto.getRandomValues(salt);
	const key = await derive(password, salt, SCRYPT, SCRYPT.keyLength);
	return `$scrypt$ln=${SCRYPT.ln},r=${SCRYPT.r},p=${SCRYPT.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash extends ScryptParams {
	salt: Uint8Array;
	key: Uint8Array;
}

export function parsePasswordHash(phc: string): ParsedHash | null {
	const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
	if (!match) return null;
	const [, ln, r, p, salt, key] = match;
	const params = { ln: Number(ln), r: Number(r), p: Number(p) };
	if (params.ln < 1 || params.r < 1 || params.p < 1 || scryptMemory(params) > SCRYPT.maxmem) return null;
	return { ...params, salt: unb64(salt!), key: unb64(key!) };
}

export interface PasswordCheck {
	ok: boolean;
	/** The hash was made with other parameters than today's: store a new one. */
	needsRehash: boolean;
}

export async function verifyPassword(phc: string, password: string): Promise<PasswordCheck> {
	const parsed = parsePasswordHash(phc);
	if (!parsed || password.length > PASSWORD_MAX_LENGTH * 4) return { ok: false, needsRehash: false };
	const key = await derive(password, parsed.salt, parsed, parsed.key.byteLength);
	const ok = constantTimeEqual(key, parsed.key);
	const current = parsed.ln === SCRYPT.ln && parsed.r === SCRYPT.r && parsed.p === SCRYPT.p;
	return { ok, needsRehash: ok && (!current || parsed.key.byteLength !== SCRYPT.keyLength) };
}

// A real hash of a random password with today's parameters: checking a sign-in for an unknown
// e-mail against it costs the same time as for a known one.
const DUMMY_HASH = '$scrypt$ln=14,r=8,p=5$1kh49J/pPZmRP5kriHJ68Q$lo83+lOX74fu7NSNtHhrZg+I72Z75hupGAYV8/1ZCls';

/** Spends the time of one verification, for an account that does not exist or has no password. */
export async function verifyNothing(password: string): Promise<void> {
	await verifyPassword(DUMMY_HASH, password);
}

export type PasswordProblem =
	'too_short' | 'too_long' | 'common' | 'repetitive' | 'contains_email' | 'contains_context';

/** A verb's answer when the new password is not acceptable. */
export type WeakPassword = { ok: false; reason: 'weak_password'; problem: PasswordProblem };

/** The password every demo account has unless MAMORI_DEMO_PASSWORD says otherwise: public, so refused. */
export const DEFAULT_DEMO_PASSWORD = 'mamori-demo';

/** Words anyone could guess of any account here: the service's names. */
const SERVICE_WORDS = ['mamori', 'まもり', 'マモリ', '守り'];

/** One or two characters over and over, or a run such as 12345678 or abcdefgh (either way). */
function isRepetitive(text: string): boolean {
	const points = [...text].map((c) => c.codePointAt(0)!);
	if (new Set(points).size <= 2) return true;
	const step = points[1]! - points[0]!;
	return Math.abs(step) === 1 && points.every((p, i) => i === 0 || p - points[i - 1]! === step);
}

/** Fewer than the minimum characters are left once these words are taken out. */
function tooShortWithout(text: string, words: string[]): boolean {
	let rest = text;
	let found = false;
	for (const word of words) {
		if (!rest.includes(word)) continue;
		found = true;
		rest = rest.split(word).join('');
	}
	return found && [...rest].length < PASSWORD_MIN_LENGTH;
}

/** A word counts as context when it is long enough to be a guess (3 letters, or 2 kanji/kana). */
const contextWord = (word: string) => {
	const w = normalizePassword(word).toLowerCase().trim();
	return [...w].length >= (/^[\x20-\x7e]+$/.test(w) ? 3 : 2) ? [w] : [];
};

/**
 * Why a new password is not acceptable, or null when it is (NIST SP 800-63B: a length, a list of
 * common and guessable passwords, context words; no composition rules). Context words (the
 * e-mail, the service, the city's names) do not count towards the length: 「新しい合言葉で小金井を
 * 守る」 is fine for 小金井市, 「koganei2026」 is not.
 */
export function passwordProblem(
	password: string,
	context: { email?: string; words?: string[] } = {}
): PasswordProblem | null {
	const normalized = normalizePassword(password);
	const length = [...normalized].length;
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';
	const lower = normalized.toLowerCase();
	if (isCommonPassword(lower) || lower === DEFAULT_DEMO_PASSWORD) return 'common';
	if (isRepetitive(lower.trim() || lower)) return 'repetitive';
	const [local = '', domain = ''] = (context.email ?? '').toLowerCase().split('@');
	if (tooShortWithout(lower, contextWord(local))) return 'contains_email';
	const words = [...SERVICE_WORDS, ...domain.split('.'), ...(context.words ?? [])].flatMap(contextWord);
	// Longest first, so that 目黒区 is taken out whole before 目黒.
	if (
		tooShortWithout(
			lower,
			[...new Set(words)].sort((a, b) => b.length - a.length)
		)
	)
		return 'contains_context';
	return null;
}
