import adapter from '@sveltejs/adapter-cloudflare';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglide } from './paraglide.config.ts';

export default defineConfig(({ command }) => ({
	plugins: [
		paraglide(),
		// SvelteKit's options live here, not in svelte.config.js (as SvelteKit 3 requires).
		sveltekit({
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
		})
	],
	// The build runs in workerd: resolve packages as a Worker does (e.g. @libsql/client → its
	// HTTP-only web client). `vite dev` runs server code on Node, where the defaults are right.
	...(command === 'build'
		? {
				ssr: {
					resolve: {
						conditions: ['workerd', 'worker', 'module', 'production'],
						externalConditions: ['workerd', 'worker']
					}
				}
			}
		: {})
}));
