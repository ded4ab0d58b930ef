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
