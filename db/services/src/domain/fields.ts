// Field rules shared by the web app, the API and the seed loader. Messages are catalogue keys
// (apps/web/messages), worded by each surface in the request's language.
import { z } from 'zod';
import { fieldName, zodMessage as m, type Message } from '../errors.ts';
import { LIMITS } from './limits.ts';
import { isValidMunicipalityCode } from './municipality-code.ts';

export { LIMITS };

/** Text of at most `max` characters; `what` is the field's name (catalogue key `field_<what>`). */
export const trimmed = (max: number, what: string) =>
	z
		.string({ error: m('validation_required', { field: fieldName(what) }) })
		// Browsers send a textarea's line breaks as CRLF: a text saved unchanged stays as it was.
		.overwrite((text) => text.replace(/\r\n?/g, '\n'))
		.trim()
		.max(max, { error: m('validation_too_long', { field: fieldName(what), max }) });

/** Text that must be given. */
export const required = (max: number, what: string) =>
	trimmed(max, what).min(1, { error: m('validation_required', { field: fieldName(what) }) });

export const title = (what = 'title') => required(LIMITS.title, what);

export const DISPLAY_NAME_MAX = 100;

// History shows who acted by account and role, yet a name still appears in the members list and
// mail: it may not pose as a role or as the service (「目黒区 管理者」, 「Mamori 運営」, 「system」).
const POSING = /管理者|管理人|運営|システム|mamori|まもり|マモリ|admin|operator|system|root/iu;

/** Whether a display name poses as a role or as the service. */
export const posesAsRole = (name: string) => POSING.test(name.normalize('NFKC').replace(/\s+/g, ''));

/** A person's display name (氏名) as text: given and short. */
export const displayNameText = required(DISPLAY_NAME_MAX, 'display_name');

/** A new display name: also not posing as a role or the system. */
export const displayName = displayNameText.refine((name) => !posesAsRole(name), {
	error: m('validation_display_name_role')
});
export const longText = (what = 'body') => trimmed(LIMITS.text, what);
export const note = trimmed(LIMITS.note, 'note');
export const unit = required(LIMITS.unit, 'unit');
export const label = required(LIMITS.label, 'label');

export const fiscalYear = z
	.number({ error: m('validation_number', { field: fieldName('fiscal_year') }) })
	.int({ error: m('validation_integer', { field: fieldName('fiscal_year') }) })
	.min(1950, { error: m('validation_fiscal_year_min') })
	.max(2100, { error: m('validation_fiscal_year_max') });

/** A fiscal year typed or sent as text (a form field, a query parameter). */
export const fiscalYearFromText = z.preprocess(
	(v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.normalize('NFKC').trim()) : v),
	fiscalYear
);

/**
 * The largest magnitude a figure may have: 1,000兆, beyond any count, distance or budget a city
 * states (1.8e308 was accepted, published and ranked).
 */
export const MAX_MAGNITUDE = 1e15;

// Units that count things (件, 回, 人, 台…): their figures are whole numbers, never negative.
// Compared after NFKC and with a leading 延べ and trailing 等 taken off (延べ人, 事業者等).
const COUNTERS = new Set(
	(
		'件 回 人 名 台 個 社 校 園 組 点 枚 局 本 基 戸 世帯 団体 事業者 店 店舗 施設 箇所 か所 カ所 ヶ所 ケ所 ' +
		'隊 班 部 冊 通 セット 人分 回分 町会 自治会'
	).split(' ')
);
const PERCENT = new Set(['%', 'パーセント']);

/** What a unit says its figures are: a count, a share of 100, or something else (km, 円, 回/週). */
export function unitKind(unit: string): 'count' | 'percent' | 'other' {
	const bare = unit.normalize('NFKC').trim().replace(/^延べ/u, '').replace(/等$/u, '');
	return COUNTERS.has(bare) ? 'count' : PERCENT.has(bare) ? 'percent' : 'other';
}

/** Why a figure is not plausible in its unit (a catalogue message), or null. */
export function implausible(value: number, unit: string): Message | null {
	if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) return { key: 'validation_value_magnitude' };
	const kind = unitKind(unit);
	if (kind === 'count' && (!Number.isInteger(value) || value < 0))
		return { key: 'validation_value_count', params: { unit: unit.trim() } };
	if (kind === 'percent' && (value < 0 || value > 100)) return { key: 'validation_value_percent' };
	return null;
}

/** A refinement of a form with a `unit`: each of `fields` plausible in that unit. */
export function plausibleIn<T extends { unit: string }>(...fields: (keyof T & string)[]) {
	return (form: T, ctx: z.RefinementCtx) => {
		for (const field of fields) {
			const value = form[field];
			if (typeof value !== 'number') continue;
			const problem = implausible(value, form.unit);
			if (problem) ctx.addIssue({ code: 'custom', path: [field], message: m(problem.key, problem.params) });
		}
	};
}

export const measuredValue = z
	.number({ error: m('validation_value_required') })
	.finite({ error: m('validation_value_required') });

export const periodKind = z.enum(['fiscal_year', 'calendar_year'], { error: m('validation_period_kind') });
/** final 確定, provisional 速報, planned 予定・目標, unknown: the source does not say. */
export const valueStatus = z.enum(['final', 'provisional', 'planned', 'unknown'], {
	error: m('validation_value_status')
});
export type ValueStatus = z.infer<typeof valueStatus>;
/** stock: 年度末時点の累計; flow: 年度中. */
export const stockFlow = z.enum(['stock', 'flow'], { error: m('validation_stock_flow') });
export const period = z.object({ kind: periodKind, year: fiscalYear });

export const municipalityCode = z
	.string({ error: m('validation_required', { field: fieldName('municipality_code') }) })
	.regex(/^\d{6}$/, { error: m('validation_municipality_code_format') })
	.refine(isValidMunicipalityCode, { error: m('validation_municipality_code_check') });

export const slug = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, { error: m('validation_slug_format') });

/** A prefecture's code (JIS X 0401): 01 北海道 … 47 沖縄県. */
export const prefectureCode = z
	.string({ error: m('validation_prefecture_code') })
	.regex(/^(0[1-9]|[1-3]\d|4[0-7])$/, { error: m('validation_prefecture_code') });

export const taxonomyCode = z
	.string()
	.regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, { error: m('validation_taxonomy_code_format') });
export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: m('validation_indicator_code_format') });

/** An id of a row (text, UUIDv7 or ULID); anything else names nothing. */
export const id = z
	.string({ error: m('validation_invalid') })
	.min(1, { error: m('validation_invalid') })
	.max(64);

/** What an upload form accepts: at most `maxBytes` (`maxLabel` as its messages say it), and the keys of its messages. */
export interface UploadRule {
	maxBytes: number;
	maxLabel: string;
	missingKey: string;
	tooLargeKey: string;
}

/** The uploaded file of an upload form (field `file`). */
export const uploadedFile = (rule: UploadRule) =>
	z
		.file({ error: m(rule.missingKey) })
		.min(1, { error: m(rule.missingKey) })
		.max(rule.maxBytes, { error: m(rule.tooLargeKey, { max: rule.maxLabel }) });
