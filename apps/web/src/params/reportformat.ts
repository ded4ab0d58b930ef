import type { ParamMatcher } from '@sveltejs/kit';

// The files the yearly report downloads as (/{tenant}/report/xlsx, /csv).
export const match = ((param): param is 'xlsx' | 'csv' => param === 'xlsx' || param === 'csv') satisfies ParamMatcher;
