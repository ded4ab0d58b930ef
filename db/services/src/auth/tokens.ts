// Tokens of the form `<id>.<secret>` (sessions, invitations, password resets), as Lucia's guide
// builds them: the row is found by id, and only the SHA-256 of the secret is stored, compared in
// constant time. Web Crypto only, so this runs in workerd and Node alike.

// Lower-case letters and digits without the look-alikes l, o, 0 and 1: 32 symbols, 5 bits each.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PART = /^[a-km-z2-9]{24}$/;

/** 24 symbols of 5 random bits: 120 bits of entropy. */
export function randomPart(): string {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	let out = '';
	for (const byte of bytes) out += ALPHABET[byte >> 3];
	return out;
}

export interface NewToken {
	id: string;
	secret: string;
	token: string;
	secretHash: string;
}

export async function newToken(): Promise<NewToken> {
	const id = randomPart();
	const secret = randomPart();
	return { id, secret, token: `${id}.${secret}`, secretHash: await hashSecret(secret) };
}

/** Splits a token into its id and secret, or null when it is not one of ours. */
export function parseToken(token: string | null | undefined): { id: string; secret: string } | null {
	if (!token) return null;
	const [id, secret, ...rest] = token.split('.');
	if (rest.length > 0 || !id || !secret || !PART.test(id) || !PART.test(secret)) return null;
	return { id, secret };
}

export async function hashSecret(secret: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
	return toHex(new Uint8Array(digest));
}

/** Whether `secret` hashes to `storedHash`, comparing every byte whatever the first difference. */
export async function secretMatches(secret: string, storedHash: string): Promise<boolean> {
	return constantTimeEqual(fromHex(await hashSecret(secret)), fromHex(storedHash));
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.byteLength !== b.byteLength) return false;
	let difference = 0;
	for (let i = 0; i < a.byteLength; i++) difference |= a[i]! ^ b[i]!;
	return difference === 0;
}

export function toHex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array {
	const out = new Uint8Array(hex.length >> 1);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return out;
}
