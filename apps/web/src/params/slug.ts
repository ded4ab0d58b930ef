import type { ParamMatcher } from '@sveltejs/kit';

// A tenant slug: lower-case ascii, digits and hyphens (e.g. meguro, koganei, tomakomai).
export const match: ParamMatcher = (param) => /^[a-z][a-z0-9-]{1,39}$/.test(param);
