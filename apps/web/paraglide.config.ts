// Paraglide (SvelteKit's official i18n) compiles messages/{ja,en}.json into one function per
// message in src/lib/paraglide (generated, git-ignored), so a page ships only the messages it uses.
// The vite build, the vitest projects and `npm run paraglide` (scripts/paraglide.ts, run by npm
// check and npm test) all compile with these options, so each finds the others' output current.
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const paraglideOptions = {
	project: here('./project.inlang'),
	outdir: here('./src/lib/paraglide'),
	// On the server: ?lang= (defined in lib/server/i18n.ts, which also sets the cookie), then the
	// `lang` cookie, then Japanese. The client never decides: hooks.client.ts reads <html lang>,
	// which the server rendered, so hydration and server rendering agree.
	strategy: ['custom-query', 'cookie', 'baseLocale'],
	cookieName: 'lang',
	cookieMaxAge: 60 * 60 * 24 * 365,
	// Both named, not left to the plugin: it picks message-modules when NODE_ENV is production (the
	// build) and locale-modules otherwise (vitest), and its server test differs between the two; the
	// build and a vitest run side by side (npm test) would rewrite each other's output.
	outputStructure: 'message-modules',
	isServer: "import.meta.env?.SSR ?? typeof window === 'undefined'"
} satisfies Parameters<typeof paraglideVitePlugin>[0];

export function paraglide() {
	return paraglideVitePlugin(paraglideOptions);
}
