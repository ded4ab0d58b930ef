// The security headers of every response the web app sends: pages, form answers, errors, 503s,
// SvelteKit's own CSRF refusals and CSV exports. Used by handleHeaders (pages and endpoints) and
// by the Worker's entry (worker.ts), which also sees the responses SvelteKit answers before any
// hook runs. Static assets get the same headers from static/_headers. No `$lib` imports here:
// worker.ts is bundled by wrangler, outside Vite.

/**
 * For responses SvelteKit did not render as a page (CSV, JSON, its CSRF refusal, the static error
 * page): no script at all. Pages get their CSP from SvelteKit, with a nonce (kit.csp).
 */
const NO_SCRIPT_CSP =
	"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const ALWAYS: Record<string, string> = {
	'strict-transport-security': 'max-age=63072000; includeSubDomains',
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()'
};

export const SESSION_COOKIE_NAME = 'mamori_session';

function signedIn(request: Request): boolean {
	const cookie = request.headers.get('cookie') ?? '';
	return cookie.split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE_NAME}=`));
}

/** Sets the headers on the response (a copy when its headers are immutable). */
export function withSecurityHeaders(request: Request, response: Response): Response {
	let out = response;
	try {
		apply(request, out.headers);
	} catch {
		// Responses from fetch() have immutable headers: copy them.
		out = new Response(response.body, response);
		apply(request, out.headers);
	}
	return out;
}

function apply(request: Request, headers: Headers): void {
	for (const [name, value] of Object.entries(ALWAYS)) headers.set(name, value);
	if (!headers.has('content-security-policy')) headers.set('content-security-policy', NO_SCRIPT_CSP);
	// What a signed-in person sees, any answer to a form, any export and any outage answer is
	// never stored by a cache.
	const type = headers.get('content-type') ?? '';
	// A response that already says no-store keeps its own words (a download's "private, no-store").
	const stored = !/\bno-store\b/.test(headers.get('cache-control') ?? '');
	if (
		stored &&
		(signedIn(request) || request.method !== 'GET' || type.startsWith('text/csv') || headers.has('retry-after'))
	)
		headers.set('cache-control', 'no-store');
}
