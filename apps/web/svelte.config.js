import adapter from '@sveltejs/adapter-cloudflare';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: {
		// SvelteKit's CSRF origin check is on by default and must stay on (tested).
		adapter: adapter({ config: '../../wrangler.toml' }),
		// Absolute asset and link paths: a refused request is answered with the /denied page's
		// HTML at the refused URL (handleAuth), which relative paths would break below the top level.
		paths: { relative: false },
		// Pages run no script but SvelteKit's own, each with a fresh nonce; nothing may frame them.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};
