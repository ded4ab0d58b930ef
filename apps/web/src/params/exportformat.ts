import type { ParamMatcher } from '@sveltejs/kit';

// The kinds of file a city's export comes as (@mamori/services/export).
export const match = ((param): param is 'json' | 'sqlite' =>
	param === 'json' || param === 'sqlite') satisfies ParamMatcher;
