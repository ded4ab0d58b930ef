import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglide } from './paraglide.config.ts';

export default defineConfig(({ command }) => ({
	plugins: [paraglide(), sveltekit()],
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
