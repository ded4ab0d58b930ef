import type { ParamMatcher } from '@sveltejs/kit';

// The files of the plan's template (@mamori/services/plan-sheet): both sheets as XLSX, or one CSV per sheet.
export const match = ((param): param is 'template.xlsx' | 'initiatives.csv' | 'records.csv' =>
	param === 'template.xlsx' || param === 'initiatives.csv' || param === 'records.csv') satisfies ParamMatcher;
