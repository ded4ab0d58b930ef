import { calendarYearLabel, fiscalYearLabel } from '@mamori/services/fiscal-year';
import type { Locale } from './paraglide/runtime';

export { fiscalYearLabel, calendarYearLabel };

export function formatNumber(locale: Locale, value: number): string {
	return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: 2 }).format(value);
}

export function periodLabel(locale: Locale, kind: 'fiscal_year' | 'calendar_year' | null, year: number | null): string {
	if (year === null) return '';
	return kind === 'calendar_year' ? calendarYearLabel(year, locale) : fiscalYearLabel(year, locale);
}

export function formatDateTime(locale: Locale, date: Date | string | number): string {
	return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(date));
}

/** A calendar date (YYYY-MM-DD) as people read it: 令和8年12月2日 in Japanese. */
export function formatDate(locale: Locale, isoDate: string): string {
	return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP-u-ca-japanese' : 'en-GB', {
		dateStyle: 'long',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(`${isoDate}T00:00:00+09:00`));
}

/** A clock time in Japan, e.g. 14:05:30 (when to retry after throttling). */
export function formatTime(locale: Locale, date: Date | number): string {
	return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(date));
}

/**
 * A date in the Japanese era (令和2年1月1日; an era's first year is 元年, as in 令和元年5月1日) for
 * Japanese readers; 1 January 2020 in English. An ISO date (2020-01-01) is that day in Japan.
 */
export function japaneseDate(locale: Locale, date: Date | string | number): string {
	const text = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP-u-ca-japanese' : 'en-GB', {
		era: locale === 'ja' ? 'long' : undefined,
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(date));
	return locale === 'ja' ? text.replace(/^(\D+)1年/, '$1元年') : text;
}

/** A fiscal year short enough for a chart's axis: 令和2年度; English FY2020. */
export function fiscalYearShort(locale: Locale, fiscalYear: number): string {
	return fiscalYearLabel(fiscalYear, locale).replace(/（\d+）$/, '');
}
