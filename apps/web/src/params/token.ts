import type { ParamMatcher } from '@sveltejs/kit';

// A single-use link's token: `<id>.<secret>`, 24 symbols each (see @mamori/services/auth tokens).
export const match: ParamMatcher = (param) => /^[a-km-z2-9]{24}\.[a-km-z2-9]{24}$/.test(param);
