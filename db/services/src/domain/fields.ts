// Field rules shared by the web app, the API and the seed loader. Messages are Japanese:
// they are shown to city staff beside the field.
import { z } from 'zod';
import { isValidMunicipalityCode } from './municipality-code.ts';

export const LIMITS = { title: 200, text: 20_000, label: 100, unit: 20, note: 2_000 } as const;

const trimmed = (max: number, what: string) =>
	z
		.string({ error: `${what}を入力してください。` })
		.trim()
		.max(max, { error: `${what}は${max.toLocaleString('ja-JP')}文字以内で入力してください。` });

export const title = (what = 'タイトル') =>
	trimmed(LIMITS.title, what).min(1, { error: `${what}を入力してください。` });
export const longText = (what = '本文') => trimmed(LIMITS.text, what);
export const note = trimmed(LIMITS.note, '備考');
export const unit = trimmed(LIMITS.unit, '単位').min(1, { error: '単位を入力してください。' });
export const label = trimmed(LIMITS.label, '項目名').min(1, { error: '項目名を入力してください。' });

export const fiscalYear = z
	.number({ error: '年度は数値で入力してください。' })
	.int({ error: '年度は整数で入力してください。' })
	.min(1950, { error: '年度は1950年度以降で入力してください。' })
	.max(2100, { error: '年度は2100年度以前で入力してください。' });

export const measuredValue = z
	.number({ error: '数値を入力してください。' })
	.finite({ error: '数値を入力してください。' });

export const periodKind = z.enum(['fiscal_year', 'calendar_year'], { error: '期間の種類は年度または年です。' });
export const valueStatus = z.enum(['final', 'provisional'], { error: '確定または速報を選んでください。' });
export const period = z.object({ kind: periodKind, year: fiscalYear });

export const municipalityCode = z
	.string({ error: '団体コードを入力してください。' })
	.regex(/^\d{6}$/, { error: '団体コードは6桁の数字です。' })
	.refine(isValidMunicipalityCode, { error: '団体コードの検査数字が正しくありません。' });

export const slug = z
	.string()
	.regex(/^[a-z][a-z0-9-]{1,39}$/, { error: 'スラッグは半角英小文字・数字・ハイフンで入力してください。' });

export const taxonomyCode = z
	.string()
	.regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, { error: '分類コードの形式が正しくありません。' });
export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: '指標コードの形式が正しくありません。' });
