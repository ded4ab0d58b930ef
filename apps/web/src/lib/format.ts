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

/** A clock time in Japan, e.g. 14:05:30 (when to retry after throttling). */
export function formatTime(locale: Locale, date: Date | number): string {
	return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		timeZone: 'Asia/Tokyo'
	}).format(new Date(date));
}
