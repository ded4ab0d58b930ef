// Corrections of what a city recorded: a yearly record edited or deleted (softly: it can be
// restored), its metrics added, edited and removed one by one, a KPI value corrected or deleted. Every change
// goes through versionedWrite and is written with its history row in the same batch; history is
// kept on the initiative, so its page shows every correction of its records.
import { and, asc, desc, eq, isNotNull, max, ne, sql } from 'drizzle-orm';
import { newId } from '@mamori/db';
import {
	departments,
	indicatorValues,
	initiativeDepartments,
	initiatives,
	metrics,
	yearlyRecords
} from '@mamori/db/tenant';
import {
	addMetricInput,
	metricOwner,
	kpiValueForm,
	recordForm,
	type MetricForm,
	target,
	updateMetricInput,
	updateRecordInput,
	versioned
} from '../domain/forms.ts';
import { id as rowId } from '../domain/fields.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, InvalidError, NotFoundError, parseInput } from '../errors.ts';
import { auditEntry } from './audit.ts';
import { authorizeRecord, indicatorIssues, metricStatus, type MappedMetric } from './records.ts';
import { checkKpiValue } from './kpis.ts';
import { liveRow, planEntity, runBatch, setDeleted, updateVersioned, versionedEntity } from './versioned.ts';

/** A yearly record with its metrics and its initiative's departments (who may change it: authorizeRecord). */
async function readRecord(ctx: TenantContext, id: string) {
	const [rows, own, deps] = await ctx.db.batch([
		ctx.db
			.select({
				id: yearlyRecords.id,
				version: yearlyRecords.version,
				initiativeId: yearlyRecords.initiativeId,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				departmentId: yearlyRecords.departmentId,
				text: yearlyRecords.text,
				deletedAt: yearlyRecords.deletedAt,
				initiativeDeletedAt: initiatives.deletedAt
			})
			.from(yearlyRecords)
			.innerJoin(initiatives, eq(initiatives.id, yearlyRecords.initiativeId))
			.where(eq(yearlyRecords.id, id)),
		ctx.db
			.select({
				id: metrics.id,
				version: metrics.version,
				label: metrics.label,
				value: metrics.value,
				unit: metrics.unit,
				indicatorCode: metrics.indicatorCode,
				periodKind: metrics.periodKind,
				status: metrics.status,
				stockFlow: metrics.stockFlow
			})
			.from(metrics)
			.where(eq(metrics.recordId, id))
			.orderBy(asc(metrics.position)),
		ctx.db
			.select({ id: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.innerJoin(yearlyRecords, eq(yearlyRecords.initiativeId, initiativeDepartments.initiativeId))
			.where(eq(yearlyRecords.id, id))
	]);
	const row = rows[0];
	if (!row) return undefined;
	const { initiativeDeletedAt, ...record } = row;
	return {
		...record,
		metrics: own,
		initiativeDepartmentIds: deps.map((d) => d.id),
		initiativeDeleted: initiativeDeletedAt !== null
	};
}
type RecordRow = NonNullable<Awaited<ReturnType<typeof readRecord>>>;

/** What history keeps of a record. */
const recordSnapshot = ({ initiativeDepartmentIds: _d, initiativeDeleted: _i, deletedAt: _a, ...r }: RecordRow) => r;

const record = versionedEntity({
	what: 'record',
	read: readRecord,
	gone: (r) => r.deletedAt !== null || r.initiativeDeleted,
	authorize: authorizeRecord
});

function recordAudit(ctx: TenantContext, r: RecordRow, action: 'update' | 'delete' | 'restore', after: unknown) {
	return auditEntry(ctx, {
		entity: 'initiative',
		entityId: r.initiativeId,
		action,
		before: { record: recordSnapshot(r) },
		after: after && { record: after }
	});
}

export async function updateYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(updateRecordInput, raw);
	await record.write(ctx, input, async (before) => {
		if (input.departmentId) {
			const [known] = await liveRow(ctx, departments, input.departmentId);
			if (!known) throw invalid('departmentId', 'error_department_unknown');
			// A department-limited editor may not hand a record to a department not theirs.
			authorizeRecord(ctx, { ...before, departmentId: input.departmentId });
		}
		const fields = {
			fiscalYear: input.fiscalYear,
			phase: input.phase,
			departmentId: input.departmentId ?? null,
			text: input.text
		};
		return [
			updateVersioned(ctx, yearlyRecords, before, fields),
			// A metric's period follows its record's fiscal year (each metric's version moves with it,
			// as the version guard demands of every update).
			ctx.db
				.update(metrics)
				.set({
					periodYear: input.fiscalYear,
					// A plan's figures are planned, never final.
					...(input.phase === 'plan' ? { status: 'planned' as const } : {}),
					version: sql`${metrics.version} + 1`
				})
				.where(eq(metrics.recordId, before.id)),
			recordAudit(ctx, before, 'update', { ...recordSnapshot(before), ...fields, version: before.version + 1 })
		];
	});
}

/**
 * Brings a record back to an earlier version (`earlier`, the `record` its history entry replaced):
 * its year, phase, department and text, and its metrics as they were then; a metric added since
 * is removed, one removed since comes back. Shared indicators that no longer exist are left out.
 */
export async function restoreRecordVersion(ctx: TenantContext, earlier: Record<string, unknown>): Promise<void> {
	const metricsThen: unknown[] = Array.isArray(earlier.metrics) ? earlier.metrics : [];
	const then = parseInput(recordForm, {
		fiscalYear: earlier.fiscalYear,
		phase: earlier.phase,
		departmentId: earlier.departmentId ?? undefined,
		text: earlier.text,
		metrics: metricsThen.map((m) => {
			const { label, value, unit, indicatorCode, status, stockFlow } = (m ?? {}) as Record<string, unknown>;
			return {
				label,
				value,
				unit,
				indicatorCode: indicatorCode ?? undefined,
				status: status ?? undefined,
				stockFlow: stockFlow ?? undefined
			};
		})
	});
	const id = String(earlier.id ?? '');
	await record.write(
		ctx,
		{ id, version: undefined },
		async (before) => {
			const [[live], misfits] = await Promise.all([
				liveRow(ctx, departments, then.departmentId ?? ''),
				// A shared indicator gone since, or no longer fitting the figure, is left out.
				indicatorIssues(
					ctx,
					then.metrics.map((m) => ({ ...m, periodKind: 'fiscal_year' as const })),
					''
				)
			]);
			const fields = {
				fiscalYear: then.fiscalYear,
				phase: then.phase,
				departmentId: live?.id ?? null,
				text: then.text
			};
			const restored = then.metrics.map((m, position) => ({
				...metricFields(m, then.phase),
				...(misfits[`${position}.indicatorCode`] ? { indicatorCode: null } : {}),
				id: newId(),
				recordId: id,
				periodKind: 'fiscal_year' as const,
				periodYear: then.fiscalYear,
				position
			}));
			return [
				updateVersioned(ctx, yearlyRecords, before, fields),
				ctx.db.delete(metrics).where(eq(metrics.recordId, id)),
				...(restored.length ? [ctx.db.insert(metrics).values(restored)] : []),
				recordAudit(ctx, before, 'restore', {
					...recordSnapshot(before),
					...fields,
					version: before.version + 1,
					metrics: restored.map(({ recordId: _r, periodYear: _y, position: _p, ...m }) => ({ ...m, version: 1 }))
				})
			];
		},
		{
			// A department-limited editor may restore only what was, and is, theirs.
			authorize: (current) => {
				authorizeRecord(ctx, current);
				authorizeRecord(ctx, { ...current, departmentId: then.departmentId });
			}
		}
	);
}

/** Soft delete: the record leaves the plan with its metrics, and can be restored. */
export async function deleteYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await record.write(ctx, input, (before) => [
		setDeleted(ctx, yearlyRecords, before, new Date(ctx.now())),
		recordAudit(ctx, before, 'delete', null)
	]);
}

export async function restoreYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(target, raw);
	await record.write(
		ctx,
		{ id: input.id, version: undefined },
		(before) => [
			setDeleted(ctx, yearlyRecords, before, null),
			recordAudit(ctx, before, 'restore', { ...recordSnapshot(before), version: before.version + 1 })
		],
		{ gone: (r) => r.deletedAt === null || r.initiativeDeleted }
	);
}

/** An initiative's deleted records, last deleted first: its page shows them with a restore. */
export async function listDeletedRecords({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const rows = await ctx.db
		.select({ record: yearlyRecords, departmentName: departments.name })
		.from(yearlyRecords)
		.leftJoin(departments, eq(departments.id, yearlyRecords.departmentId))
		.where(and(eq(yearlyRecords.initiativeId, input.id), isNotNull(yearlyRecords.deletedAt)))
		.orderBy(desc(yearlyRecords.deletedAt));
	return rows.map(({ record: { id, fiscalYear, phase, text }, departmentName }) => ({
		id,
		fiscalYear,
		phase,
		text,
		departmentName
	}));
}
export type DeletedRecord = Awaited<ReturnType<typeof listDeletedRecords>>[number];

/** A metric, with the record it belongs to (whose department decides who may change it). */
async function readMetric(ctx: TenantContext, id: string) {
	const [row] = await ctx.db
		.select({ id: metrics.id, version: metrics.version, recordId: metrics.recordId })
		.from(metrics)
		.where(eq(metrics.id, id));
	const owner = row && (await readRecord(ctx, row.recordId));
	const metric = owner?.metrics.find((m) => m.id === id);
	return owner && metric && { ...metric, record: owner };
}

const metric = versionedEntity({
	what: 'metric',
	read: readMetric,
	gone: (m) => m.record.deletedAt !== null || m.record.initiativeDeleted,
	authorize: (ctx, m) => authorizeRecord(ctx, m.record)
});

/** A metric that names a shared indicator must name one that exists and fits it. */
async function refuseMisfit(ctx: TenantContext, m: MappedMetric) {
	const issue = (await indicatorIssues(ctx, [m], ''))['0.indicatorCode'];
	if (issue) throw new InvalidError({ indicatorCode: issue });
}

type MetricInput = Pick<MetricForm, 'label' | 'value' | 'unit' | 'indicatorCode' | 'status' | 'stockFlow'>;

function metricFields(m: MetricInput, phase: RecordRow['phase']) {
	return {
		label: m.label,
		value: m.value,
		unit: m.unit,
		indicatorCode: m.indicatorCode ?? null,
		status: metricStatus(m.status, phase),
		stockFlow: m.stockFlow ?? null
	};
}

export async function addMetric({ ctx, input: raw }: VerbArgs): Promise<{ id: string }> {
	// Whose record it is is decided first, as for a new record (addYearlyRecord).
	const { recordId } = parseInput(metricOwner, raw);
	const owner = await readRecord(ctx, recordId);
	if (!owner || owner.deletedAt !== null || owner.initiativeDeleted) throw new NotFoundError('record');
	authorizeRecord(ctx, owner);
	const input = parseInput(addMetricInput, raw);
	await refuseMisfit(ctx, { ...input, periodKind: 'fiscal_year' });
	const [last] = await ctx.db
		.select({ position: max(metrics.position) })
		.from(metrics)
		.where(eq(metrics.recordId, owner.id));
	const id = newId();
	const fields = metricFields(input, owner.phase);
	await runBatch(ctx, [
		ctx.db.insert(metrics).values({
			...fields,
			id,
			recordId: owner.id,
			periodKind: 'fiscal_year',
			periodYear: owner.fiscalYear,
			position: (last?.position ?? -1) + 1
		}),
		recordAudit(ctx, owner, 'update', { ...recordSnapshot(owner), metrics: [...owner.metrics, { id, ...fields }] })
	]);
	return { id };
}

export async function updateMetric({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(updateMetricInput, raw);
	await metric.write(ctx, input, async (before) => {
		await refuseMisfit(ctx, { ...input, periodKind: before.periodKind });
		const fields = metricFields(input, before.record.phase);
		const after = before.record.metrics.map((m) =>
			m.id === before.id ? { ...m, ...fields, version: m.version + 1 } : m
		);
		return [
			updateVersioned(ctx, metrics, before, fields),
			recordAudit(ctx, before.record, 'update', { ...recordSnapshot(before.record), metrics: after })
		];
	});
}

export async function deleteMetric({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await metric.write(ctx, input, (before) => [
		// The version guard is a BEFORE UPDATE trigger: moving the version first makes a stale
		// delete abort the batch like a stale update, instead of deleting nothing.
		ctx.db
			.update(metrics)
			.set({ version: before.version + 1 })
			.where(eq(metrics.id, before.id)),
		ctx.db.delete(metrics).where(eq(metrics.id, before.id)),
		recordAudit(ctx, before.record, 'update', {
			...recordSnapshot(before.record),
			metrics: before.record.metrics.filter((m) => m.id !== before.id)
		})
	]);
}

/** A KPI value, named with its KPI: a value found under another KPI's id is not found. */
const kpiValueTarget = versioned.extend({ indicatorId: rowId });
const updateKpiValueInput = kpiValueForm.extend(kpiValueTarget.shape);

const kpiValue = planEntity('kpi value', async (ctx, id) => {
	const [row] = await ctx.db.select().from(indicatorValues).where(eq(indicatorValues.id, id));
	return row && { ...row, deletedAt: null };
});
type KpiValueRow = NonNullable<Awaited<ReturnType<typeof kpiValue.read>>>;
const ofOtherKpi = (indicatorId: string) => (v: KpiValueRow) => v.indicatorId !== indicatorId;

type ValueFields = Pick<KpiValueRow, 'periodYear' | 'periodKind' | 'value' | 'status'>;
/** What history keeps of a KPI value: on its KPI, the value before and after (null once deleted). */
const valueAudit = (ctx: TenantContext, before: KpiValueRow, after: ValueFields | null) =>
	auditEntry(ctx, {
		entity: 'indicator',
		entityId: before.indicatorId,
		action: after ? 'update' : 'delete',
		before: valueSnapshot(before),
		after: after && valueSnapshot(after)
	});
const valueSnapshot = ({ periodYear, periodKind, value, status }: ValueFields) => ({
	periodYear,
	periodKind,
	value,
	status
});

/** Corrects a KPI value: its period, figure and status; a period can hold one value only. */
export async function updateKpiValue({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(updateKpiValueInput, raw);
	await kpiValue.write(
		ctx,
		input,
		async (before) => {
			const [taken] = await ctx.db
				.select({ id: indicatorValues.id })
				.from(indicatorValues)
				.where(
					and(
						eq(indicatorValues.indicatorId, before.indicatorId),
						eq(indicatorValues.periodKind, input.periodKind),
						eq(indicatorValues.periodYear, input.periodYear),
						ne(indicatorValues.id, before.id)
					)
				);
			if (taken) throw invalid('periodYear', 'error_kpi_value_period_taken');
			await checkKpiValue(ctx, before.indicatorId, input.value);
			const fields = {
				periodKind: input.periodKind,
				periodYear: input.periodYear,
				value: input.value,
				status: input.status,
				note: input.note ?? null
			};
			return [updateVersioned(ctx, indicatorValues, before, fields), valueAudit(ctx, before, fields)];
		},
		{ gone: ofOtherKpi(input.indicatorId) }
	);
}

/** A KPI value is removed (its history row keeps it). */
export async function deleteKpiValue({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(kpiValueTarget, raw);
	await kpiValue.write(
		ctx,
		input,
		(before) => [
			// Version first, as for a metric: a stale delete aborts the batch.
			ctx.db
				.update(indicatorValues)
				.set({ version: before.version + 1 })
				.where(eq(indicatorValues.id, before.id)),
			ctx.db.delete(indicatorValues).where(eq(indicatorValues.id, before.id)),
			valueAudit(ctx, before, null)
		],
		{ gone: ofOtherKpi(input.indicatorId) }
	);
}
