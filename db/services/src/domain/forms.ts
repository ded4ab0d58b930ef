// Validation of what city staff submit, shared by the web app's form actions and the API.
import { z } from 'zod';
import * as f from './fields.ts';

/** Form fields arrive as strings; an empty field is "not given". */
const optionalText = (schema: z.ZodType<string>) =>
	z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), schema.optional());

const toNumber = (v: unknown) =>
	v === null
		? undefined
		: typeof v === 'string'
			? v.trim() === ''
				? undefined
				: Number(v.normalize('NFKC').replace(/[,，\s]/g, ''))
			: v;
const numberSchema = (what: string) =>
	z.number({ error: `${what}は数値で入力してください。` }).finite({ error: `${what}は数値で入力してください。` });

/** A number typed into a form: full-width digits and thousands separators are accepted. */
const numberFromText = (what: string) => z.preprocess(toNumber, numberSchema(what));
const optionalNumberFromText = (what: string) => z.preprocess(toNumber, numberSchema(what).optional());

const yearSchema = (what: string) => z.number({ error: `${what}は数値で入力してください。` }).pipe(f.fiscalYear);
const yearFromText = (what: string) => z.preprocess(toNumber, yearSchema(what));
const optionalYearFromText = (what: string) => z.preprocess(toNumber, yearSchema(what).optional());

export const version = z.coerce.number().int().positive();
const idList = z.array(z.string().min(1)).default([]);

export const initiativeForm = z.object({
	version,
	title: f.title('取組名'),
	description: optionalText(f.longText('取組の内容')),
	planRef: optionalText(z.string().trim().max(50, { error: '施策番号は50文字以内で入力してください。' })),
	departmentIds: idList,
	categoryCodes: z.array(f.taxonomyCode).min(1, { error: '分類を1つ以上選んでください。' })
});
export type InitiativeForm = z.infer<typeof initiativeForm>;

export const newInitiativeForm = initiativeForm.omit({ version: true }).extend({ nodeId: z.string().min(1) });
export type NewInitiativeForm = z.infer<typeof newInitiativeForm>;

export const nodeForm = z.object({
	version,
	code: optionalText(z.string().trim().max(20, { error: '番号は20文字以内で入力してください。' })),
	title: f.title('施策名'),
	summary: optionalText(f.longText('概要'))
});

export const metricForm = z.object({
	label: f.label,
	value: numberFromText('数値'),
	unit: f.unit,
	indicatorCode: optionalText(f.indicatorCode)
});

export const recordForm = z.object({
	fiscalYear: yearFromText('年度'),
	phase: z.enum(['actual', 'plan'], { error: '実績か予定かを選んでください。' }),
	departmentId: optionalText(z.string().min(1)),
	text: f.longText('取組内容').min(1, { error: '取組内容を入力してください。' }),
	metrics: z.array(metricForm).default([])
});
export type RecordForm = z.infer<typeof recordForm>;

export const kpiValueForm = z.object({
	periodKind: f.periodKind,
	periodYear: yearFromText('年度'),
	value: numberFromText('値'),
	status: f.valueStatus.default('final'),
	note: optionalText(f.note)
});
export type KpiValueForm = z.infer<typeof kpiValueForm>;

const kpiFields = z.object({
	name: f.title('指標名'),
	unit: f.unit,
	direction: z.enum(['higher', 'lower'], { error: '望ましい方向を選んでください。' }),
	baselineValue: optionalNumberFromText('現状値'),
	baselineYear: optionalYearFromText('基準年度'),
	targetValue: optionalNumberFromText('目標値'),
	targetYear: optionalYearFromText('目標年度'),
	sharedIndicatorCode: optionalText(f.indicatorCode)
});
const targetAfterBaseline = (k: { baselineYear?: number | undefined; targetYear?: number | undefined }) =>
	k.baselineYear === undefined || k.targetYear === undefined || k.targetYear >= k.baselineYear;
const targetAfterBaselineMessage = { error: '目標年度は基準年度以降にしてください。', path: ['targetYear'] };

export const kpiForm = kpiFields.extend({ version }).refine(targetAfterBaseline, targetAfterBaselineMessage);
export const newKpiForm = kpiFields
	.extend({ nodeId: z.string().min(1, { error: '施策を選んでください。' }) })
	.refine(targetAfterBaseline, targetAfterBaselineMessage);
export type KpiForm = z.infer<typeof kpiForm>;

/** Zod issues → { field: message }, the first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.join('.') || 'form';
		out[key] ??= issue.message;
	}
	return out;
}

export const departmentForm = z.object({
	name: z
		.string({ error: '担当課名を入力してください。' })
		.trim()
		.min(1, { error: '担当課名を入力してください。' })
		.max(100, { error: '担当課名は100文字以内で入力してください。' })
});

export const newNodeForm = nodeForm.omit({ version: true });
