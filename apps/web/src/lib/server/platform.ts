import { error } from '@sveltejs/kit';

/** The Worker's environment; without it (a misconfigured deploy) nothing can be served. */
export function platformEnv(platform: App.Platform | undefined): App.Platform['env'] {
	if (!platform?.env?.CORE_DATABASE_URL)
		error(503, { message: 'CORE_DATABASE_URL is not configured', code: 'DB_UNAVAILABLE' });
	return platform.env;
}
