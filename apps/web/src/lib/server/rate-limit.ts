// The cheap first filter in front of sign-in and password reset: the Workers rate-limiting binding
// (wrangler.toml [[ratelimits]]), counted per client address before the body is read or the core
// database is asked. It is approximate and per Cloudflare location, so it only sheds floods; the
// throttle that holds (counted before the password is checked, atomically in the core database) is
// services/auth throttle.ts. Locally wrangler dev and vite dev serve the same binding from workerd.
import { addressKey } from '@mamori/services/auth';
import { clientAddress } from './request.ts';

/** The interface of a Workers rate-limiting binding. */
export interface RateLimitBinding {
	limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** What is limited, and the binding that limits it (names as in wrangler.toml). */
export const RATE_LIMITS = {
	sign_in: 'SIGN_IN_RATE_LIMIT',
	password_reset: 'PASSWORD_RESET_RATE_LIMIT'
} as const;

/** The bindings' period (wrangler.toml `simple.period`, seconds): a refused client may retry after it. */
export const RATE_LIMIT_PERIOD_MS = 60_000;

type Event = {
	platform?: Readonly<App.Platform>;
	getClientAddress(): string;
};

/**
 * Whether this request may go on to `what`: null when it may, else when to try again. Without an
 * address or a binding (a misconfigured deploy) it lets the request on, to the core throttle.
 */
export async function firstFilter(event: Event, what: keyof typeof RATE_LIMITS): Promise<{ retryAt: number } | null> {
	const binding = event.platform?.env?.[RATE_LIMITS[what]];
	const address = clientAddress(event);
	if (!binding || !address) return null;
	const { success } = await binding.limit({ key: `${what}:${addressKey(address)}` });
	return success ? null : { retryAt: Date.now() + RATE_LIMIT_PERIOD_MS };
}
