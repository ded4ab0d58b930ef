import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/** The Worker's environment; without it (a misconfigured deploy) nothing can be served. */
export function platformEnv(platform: App.Platform | undefined): App.Platform['env'] {
	if (!platform?.env?.CORE_DATABASE_URL) {
		console.error('CORE_DATABASE_URL is not configured');
		error(503, { message: m.error_db_unavailable(), code: 'DB_UNAVAILABLE' });
	}
	return platform.env;
}

/**
 * Work that must not hold up the answer (and must not show in its timing): kept alive after the
 * response by the Worker's waitUntil; a failure is logged, never shown to the user.
 */
export function afterResponse(platform: App.Platform | undefined, what: string, work: Promise<unknown>): void {
	const logged = work.catch((e: unknown) => console.error(`${what} failed`, e));
	platform?.ctx?.waitUntil(logged);
}
