// npm run paraglide — compiles messages/{ja,en}.json into src/lib/paraglide with the options the
// vite build and the vitest projects use (paraglide.config.ts), so that a compile here leaves
// nothing for theirs to rewrite.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.config.ts';

await compile(paraglideOptions);
