// Facts about the request that auth needs, read the same way everywhere.
import type { RequestEvent } from '@sveltejs/kit';

/** The client's address (Cloudflare's CF-Connecting-IP), or null when the platform has none. */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string | null {
	try {
		return event.getClientAddress() || null;
	} catch {
		return null;
	}
}
