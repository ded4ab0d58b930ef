import adapter from '@sveltejs/adapter-cloudflare';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: {
		// SvelteKit's CSRF origin check is on by default and must stay on (tested).
		adapter: adapter({ config: '../../wrangler.toml' })
	}
};
