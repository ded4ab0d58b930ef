// Corrections of what a city recorded: a yearly record edited or deleted (softly: it can be
// restored), its metrics added, edited and removed one by one, a KPI value deleted. Every change
// goes through versionedWrite and is written with its history row in the same batch; history is
// kept on the initiative, so its page shows every correction of its records.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { newId } from '@mamori/db';
import {
	departments,
	indicatorValues,
	initiativeDepartments,
	initiatives,
	metrics,
	yearlyRecords
} from '@mamori/db/tenant';
import { addMetricInput, target, updateMetricInput, updateRecordInput, versioned } from '../domain/forms.ts';
import type { TenantContext, VerbArgs } from '../context.ts';
import { invalid, NotFoundError, parseInput } from '../errors.ts';
import { auditEntry } from './audit.ts';
import { unknownIndicators } from './records.ts';
import { planEntity, runBatch, versionedEntity } from './versioned.ts';

/** A yearly record with its metrics and who may change it (its department, else its initiative's). */
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
				indicatorCode: metrics.indicatorCode
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
		departmentIds: row.departmentId ? [row.departmentId] : deps.map((d) => d.id),
		initiativeDeleted: initiativeDeletedAt !== null
	};
}
type RecordRow = NonNullable<Awaited<ReturnType<typeof readRecord>>>;

/** What history keeps of a record. */
const recordSnapshot = ({ departmentIds: _d, initiativeDeleted: _i, deletedAt: _a, ...r }: RecordRow) => r;

const record = versionedEntity({
	what: 'record',
	read: readRecord,
	gone: (r) => r.deletedAt !== null || r.initiativeDeleted,
	authorize: (ctx, r) => ctx.authorize('plan.edit', { departmentIds: r.departmentIds })
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
			const [known] = await ctx.db
				.select({ id: departments.id })
				.from(departments)
				.where(and(eq(departments.id, input.departmentId), isNull(departments.deletedAt)));
			if (!known) throw invalid('departmentId', 'error_department_unknown');
			// A department-limited editor may not hand a record to a department not theirs.
			ctx.authorize('plan.edit', { departmentIds: [input.departmentId] });
		}
		const fields = {
			fiscalYear: input.fiscalYear,
			phase: input.phase,
			departmentId: input.departmentId ?? null,
			text: input.text
		};
		return [
			ctx.db
				.update(yearlyRecords)
				.set({ ...fields, version: before.version + 1, updatedAt: new Date(ctx.now()) })
				.where(eq(yearlyRecords.id, before.id)),
			// A metric's period follows its record's fiscal year.
			ctx.db.update(metrics).set({ periodYear: input.fiscalYear }).where(eq(metrics.recordId, before.id)),
			recordAudit(ctx, before, 'update', { ...recordSnapshot(before), ...fields, version: before.version + 1 })
		];
	});
}

/** Soft delete: the record leaves the plan with its metrics, and can be restored. */
export async function deleteYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await record.write(ctx, input, (before) => [
		ctx.db
			.update(yearlyRecords)
			.set({ deletedAt: new Date(ctx.now()), version: before.version + 1, updatedAt: new Date(ctx.now()) })
			.where(eq(yearlyRecords.id, before.id)),
		recordAudit(ctx, before, 'delete', null)
	]);
}

export async function restoreYearlyRecord({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(target, raw);
	await record.write(
		ctx,
		{ id: input.id, version: undefined },
		(before) => [
			ctx.db
				.update(yearlyRecords)
				.set({ deletedAt: null, version: before.version + 1, updatedAt: new Date(ctx.now()) })
				.where(eq(yearlyRecords.id, before.id)),
			recordAudit(ctx, before, 'restore', { ...recordSnapshot(before), version: before.version + 1 })
		],
		{ gone: (r) => r.deletedAt === null || r.initiativeDeleted }
	);
}

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
	authorize: (ctx, m) => ctx.authorize('plan.edit', { departmentIds: m.record.departmentIds })
});

async function refuseUnknownIndicator(ctx: TenantContext, m: { indicatorCode?: string | undefined }) {
	const issues = await unknownIndicators(ctx, [m], '');
	if (issues['0.indicatorCode']) throw invalid('indicatorCode', 'error_indicator_unknown');
}

function metricFields(m: { label: string; value: number; unit: string; indicatorCode?: string | undefined }) {
	return { label: m.label, value: m.value, unit: m.unit, indicatorCode: m.indicatorCode ?? null };
}

export async function addMetric({ ctx, input: raw }: VerbArgs): Promise<{ id: string }> {
	const input = parseInput(addMetricInput, raw);
	const owner = await readRecord(ctx, input.recordId);
	if (!owner || owner.deletedAt !== null || owner.initiativeDeleted) throw new NotFoundError('record');
	ctx.authorize('plan.edit', { departmentIds: owner.departmentIds });
	await refuseUnknownIndicator(ctx, input);
	const [last] = await ctx.db
		.select({ position: max(metrics.position) })
		.from(metrics)
		.where(eq(metrics.recordId, owner.id));
	const id = newId();
	const fields = metricFields(input);
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
		await refuseUnknownIndicator(ctx, input);
		const fields = metricFields(input);
		const after = before.record.metrics.map((m) =>
			m.id === before.id ? { ...m, ...fields, version: m.version + 1 } : m
		);
		return [
			ctx.db
				.update(metrics)
				.set({ ...fields, version: before.version + 1, updatedAt: new Date(ctx.now()) })
				.where(eq(metrics.id, before.id)),
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

/** A KPI value is removed (its history row keeps it). */
const kpiValue = planEntity('kpi value', async (ctx, id) => {
	const [row] = await ctx.db.select().from(indicatorValues).where(eq(indicatorValues.id, id));
	return row && { ...row, deletedAt: null };
});

export async function deleteKpiValue({ ctx, input: raw }: VerbArgs): Promise<void> {
	const input = parseInput(versioned, raw);
	await kpiValue.write(ctx, input, (before) => [
		// Version first, as for a metric: a stale delete aborts the batch.
		ctx.db
			.update(indicatorValues)
			.set({ version: before.version + 1 })
			.where(eq(indicatorValues.id, before.id)),
		ctx.db.delete(indicatorValues).where(eq(indicatorValues.id, before.id)),
		auditEntry(ctx, {
			entity: 'indicator',
			entityId: before.indicatorId,
			action: 'delete',
			before: {
				periodYear: before.periodYear,
				periodKind: before.periodKind,
				value: before.value,
				status: before.status
			},
			after: null
		})
	]);
}
