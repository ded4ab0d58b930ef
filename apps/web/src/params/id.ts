import type { ParamMatcher } from '@sveltejs/kit';

// Row ids are UUIDs (v7 for new rows, v8 for rows derived from seed files).
export const match: ParamMatcher = (param) =>
	/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(param);
