// Yearly reporting rounds (DESIGN.md, "The yearly cycle"): the section opens a round for a fiscal
// year; every initiative × responsible department gets a task; the department's staff fill it
// (prefilled from last year), save drafts and submit; the section returns a submission with a
// comment or approves it, which writes the year's records as final; closing the round locks them.
import { and, asc, desc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { newId } from '@mamori/db';
import {
	comments,
	departments,
	initiativeDepartments,
	initiatives,
	metrics,
	reportingRounds,
	roundTasks,
	yearlyRecords,
	type ProgressStatus,
	type TaskMetric
} from '@mamori/db/tenant';
import type { TenantContext, VerbArgs } from '../context.ts';
import { openRoundInput, returnTaskInput, saveTaskInput, target, versioned, type TaskForm } from '../domain/forms.ts';
import { invalid, InvalidError, NotFoundError, parseInput, type FieldIssues } from '../errors.ts';
import { auditEntry } from '../plan/audit.ts';
import { authorizeRecord, recordColumnQueries, recordColumnsOf } from '../plan/records.ts';
import { closedRounds } from './locks.ts';
import { runBatch, updateVersioned, versionedWrite, type Statement } from '../plan/versioned.ts';

export type TaskState = (typeof roundTasks.$inferSelect)['state'];
/** States a department still has work in: what reminders and "my tasks" count. */
export const OPEN_TASK_STATES = ['open', 'draft', 'returned'] as const satisfies readonly TaskState[];

/** Today in Japan (UTC+9, no daylight saving) as YYYY-MM-DD: deadlines are Japanese days. */
export function japanDay(now: number): string {
	return new Date(now + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Whether a round's deadline (its last day, in Japan) has passed. */
export const isOverdue = (deadline: string, now: number) => japanDay(now) > deadline;

const MAX_ROWS_PER_INSERT = 50;
type Round = typeof reportingRounds.$inferSelect;

export async function openRound({ ctx, input: raw }: VerbArgs): Promise<{ id: string; tasks: number }> {
	ctx.authorize('round.manage');
	const input = parseInput(openRoundInput, raw);
	const [existing, live, deps] = await ctx.db.batch([
		ctx.db
			.select({ id: reportingRounds.id })
			.from(reportingRounds)
			.where(eq(reportingRounds.fiscalYear, input.fiscalYear)),
		ctx.db
			.select({ id: initiatives.id })
			.from(initiatives)
			.where(isNull(initiatives.deletedAt))
			.orderBy(asc(initiatives.position)),
		ctx.db
			.select({ initiativeId: initiativeDepartments.initiativeId, departmentId: initiativeDepartments.departmentId })
			.from(initiativeDepartments)
			.innerJoin(departments, eq(departments.id, initiativeDepartments.departmentId))
			.where(isNull(departments.deletedAt))
			.orderBy(asc(initiativeDepartments.position))
	]);
	if (existing[0]) throw invalid('fiscalYear', 'error_round_exists');
	if (live.length === 0) throw invalid('form', 'error_round_no_initiatives');

	const id = newId();
	const tasks = live.flatMap((initiative) => {
		const own = deps.filter((d) => d.initiativeId === initiative.id);
		const departmentIds = own.length ? own.map((d) => d.departmentId) : [null];
		return departmentIds.map((departmentId) => ({
			id: newId(),
			roundId: id,
			initiativeId: initiative.id,
			departmentId
		}));
	});
	const statements: Statement[] = [
		ctx.db.insert(reportingRounds).values({
			id,
			fiscalYear: input.fiscalYear,
			deadline: input.deadline,
			reminderLeadDays: input.reminderLeadDays,
			progressLabels: Object.values(input.progressLabels).some(Boolean)
				? Object.fromEntries(Object.entries(input.progressLabels).filter(([, word]) => word))
				: null,
			openedBy: ctx.actor.email ?? null
		})
	];
	for (let start = 0; start < tasks.length; start += MAX_ROWS_PER_INSERT)
		statements.push(ctx.db.insert(roundTasks).values(tasks.slice(start, start + MAX_ROWS_PER_INSERT)));
	statements.push(
		auditEntry(ctx, {
			entity: 'round',
			entityId: id,
			action: 'create',
			before: null,
			after: { fiscalYear: input.fiscalYear, deadline: input.deadline, tasks: tasks.length }
		})
	);
	await runBatch(ctx, statements);
	return { id, tasks: tasks.length };
}

const taskCounts = (tasks: { state: TaskState }[]) => ({
	total: tasks.length,
	open: tasks.filter((t) => (OPEN_TASK_STATES as readonly string[]).includes(t.state)).length,
	submitted: tasks.filter((t) => t.state === 'submitted').length,
	approved: tasks.filter((t) => t.state === 'approved').length
});

/** Every round of the city, newest year first, with how far each has come. */
export async function listRounds({ ctx }: Pick<VerbArgs, 'ctx'>) {
	ctx.authorize('plan.read');
	const [rounds, tasks] = await ctx.db.batch([
		ctx.db.select().from(reportingRounds).orderBy(desc(reportingRounds.fiscalYear)),
		ctx.db.select({ roundId: roundTasks.roundId, state: roundTasks.state }).from(roundTasks)
	]);
	const now = ctx.now();
	return rounds.map((round) => ({
		...round,
		overdue: round.state === 'open' && isOverdue(round.deadline, now),
		counts: taskCounts(tasks.filter((t) => t.roundId === round.id))
	}));
}

const taskColumns = {
	id: roundTasks.id,
	version: roundTasks.version,
	roundId: roundTasks.roundId,
	initiativeId: roundTasks.initiativeId,
	departmentId: roundTasks.departmentId,
	state: roundTasks.state,
	progress: roundTasks.progress,
	submittedAt: roundTasks.submittedAt,
	submittedBy: roundTasks.submittedBy,
	reviewedAt: roundTasks.reviewedAt,
	reviewedBy: roundTasks.reviewedBy,
	updatedAt: roundTasks.updatedAt,
	initiativeCode: initiatives.code,
	initiativeTitle: initiatives.title,
	departmentName: departments.name
};

function tasksQuery(ctx: TenantContext) {
	return ctx.db
		.select(taskColumns)
		.from(roundTasks)
		.innerJoin(initiatives, eq(initiatives.id, roundTasks.initiativeId))
		.leftJoin(departments, eq(departments.id, roundTasks.departmentId));
}

/**
 * One round as the section reviews it: its tasks, and completion by department, the departments
 * still owing work first (once the deadline has passed they are overdue), then by name.
 */
export async function readRound({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const [rounds, tasks] = await ctx.db.batch([
		ctx.db.select().from(reportingRounds).where(eq(reportingRounds.id, input.id)),
		tasksQuery(ctx)
			.where(eq(roundTasks.roundId, input.id))
			.orderBy(asc(initiatives.position), asc(departments.position))
	]);
	const round = rounds[0];
	if (!round) throw new NotFoundError('round');
	const overdue = round.state === 'open' && isOverdue(round.deadline, ctx.now());
	const byDepartment = new Map<string, { departmentId: string | null; name: string | null; tasks: typeof tasks }>();
	for (const task of tasks) {
		const key = task.departmentId ?? '';
		const group = byDepartment.get(key) ?? { departmentId: task.departmentId, name: task.departmentName, tasks: [] };
		group.tasks.push(task);
		byDepartment.set(key, group);
	}
	const departmentsDone = [...byDepartment.values()]
		.map((g) => ({ departmentId: g.departmentId, name: g.name, counts: taskCounts(g.tasks) }))
		.toSorted(
			(a, b) =>
				Number(b.counts.open > 0) - Number(a.counts.open > 0) ||
				b.counts.open - a.counts.open ||
				(a.name ?? '').localeCompare(b.name ?? '', 'ja')
		);
	return { round, overdue, counts: taskCounts(tasks), departments: departmentsDone, tasks };
}

/**
 * The open tasks of the signed-in person: a department-limited editor's departments only; an
 * editor or admin without a limit sees every department's. Open rounds only.
 */
export async function listMyTasks({ ctx }: Pick<VerbArgs, 'ctx'>) {
	ctx.authorize('plan.read');
	const membership = ctx.principal?.memberships.find((m) => m.tenantId === ctx.tenant.id);
	if (!membership || membership.role === 'viewer') return { rounds: [] as (Round & { overdue: boolean })[], tasks: [] };
	const limit = membership.role === 'editor' ? membership.departmentIds : null;
	const rounds = await ctx.db
		.select()
		.from(reportingRounds)
		.where(eq(reportingRounds.state, 'open'))
		.orderBy(desc(reportingRounds.fiscalYear));
	if (rounds.length === 0) return { rounds: [], tasks: [] };
	const tasks = await tasksQuery(ctx)
		.where(
			and(
				inArray(
					roundTasks.roundId,
					rounds.map((r) => r.id)
				),
				inArray(roundTasks.state, [...OPEN_TASK_STATES, 'submitted']),
				limit ? inArray(roundTasks.departmentId, limit.length ? limit : ['']) : undefined
			)
		)
		.orderBy(asc(departments.position), asc(initiatives.position));
	const now = ctx.now();
	return { rounds: rounds.map((r) => ({ ...r, overdue: isOverdue(r.deadline, now) })), tasks };
}

type RecordRow = {
	id: string;
	fiscalYear: number;
	phase: 'actual' | 'plan' | 'summary';
	departmentId: string | null;
	departmentName: string | null;
	text: string;
	progress: ProgressStatus | null;
};

/** What a task is prefilled with: the department's own records of that year and phase, else the unattributed ones. */
function prefill(
	records: RecordRow[],
	figures: { recordId: string; label: string; value: number; unit: string }[],
	departmentId: string | null,
	fiscalYear: number,
	phases: readonly string[]
): { text: string; metrics: TaskMetric[] } | null {
	const ofYear = records.filter((r) => r.fiscalYear === fiscalYear && phases.includes(r.phase));
	const own = ofYear.filter((r) => r.departmentId === departmentId);
	const chosen = own.length ? own : ofYear.filter((r) => r.departmentId === null);
	if (chosen.length === 0) return null;
	const ids = new Set(chosen.map((r) => r.id));
	return {
		text: chosen.map((r) => r.text).join('\n'),
		metrics: figures.filter((f) => ids.has(f.recordId)).map(({ label, value, unit }) => ({ label, value, unit }))
	};
}

async function taskRow(ctx: TenantContext, id: string) {
	const [rows] = await ctx.db.batch([
		ctx.db
			.select({ task: roundTasks, round: reportingRounds })
			.from(roundTasks)
			.innerJoin(reportingRounds, eq(reportingRounds.id, roundTasks.roundId))
			.where(eq(roundTasks.id, id))
	]);
	return rows[0] ? { ...rows[0].task, round: rows[0].round } : undefined;
}
type TaskRow = NonNullable<Awaited<ReturnType<typeof taskRow>>>;

/** Who may fill a task: its department's staff (the one record rule, authorizeRecord). */
const authorizeTask = (ctx: TenantContext, task: { departmentId: string | null }) =>
	authorizeRecord(ctx, { initiativeDepartmentIds: task.departmentId ? [task.departmentId] : [] });

/**
 * One task: what is saved (or, before anything is, last year's text and figures as a draft), the
 * records of last year and this year beside it, and the plan's own column headings. Its comments
 * (a return's reason among them) are listComments' of the initiative and this task.
 */
export async function readTask({ ctx, input: raw }: VerbArgs) {
	ctx.authorize('plan.read');
	const input = parseInput(target, raw);
	const task = await taskRow(ctx, input.id);
	if (!task) throw new NotFoundError('task');
	const year = task.round.fiscalYear;
	const [initiativeRows, departmentRows, records, figures, cityDepartments, ...columnRows] = await ctx.db.batch([
		ctx.db
			.select({
				id: initiatives.id,
				code: initiatives.code,
				title: initiatives.title,
				nodeId: initiatives.nodeId,
				description: initiatives.description
			})
			.from(initiatives)
			.where(eq(initiatives.id, task.initiativeId)),
		ctx.db
			.select({ name: departments.name })
			.from(departments)
			.where(eq(departments.id, task.departmentId ?? '')),
		ctx.db
			.select({
				id: yearlyRecords.id,
				fiscalYear: yearlyRecords.fiscalYear,
				phase: yearlyRecords.phase,
				departmentId: yearlyRecords.departmentId,
				departmentName: departments.name,
				text: yearlyRecords.text,
				progress: yearlyRecords.progress
			})
			.from(yearlyRecords)
			.leftJoin(departments, eq(departments.id, yearlyRecords.departmentId))
			.where(
				and(
					eq(yearlyRecords.initiativeId, task.initiativeId),
					isNull(yearlyRecords.deletedAt),
					lte(yearlyRecords.fiscalYear, year + 1)
				)
			)
			.orderBy(asc(yearlyRecords.fiscalYear), asc(yearlyRecords.position)),
		ctx.db
			.select({ recordId: metrics.recordId, label: metrics.label, value: metrics.value, unit: metrics.unit })
			.from(metrics)
			.innerJoin(yearlyRecords, eq(yearlyRecords.id, metrics.recordId))
			.where(and(eq(yearlyRecords.initiativeId, task.initiativeId), lte(yearlyRecords.fiscalYear, year + 1)))
			.orderBy(asc(metrics.position)),
		ctx.db
			.select({ id: departments.id, name: departments.name })
			.from(departments)
			.where(isNull(departments.deletedAt))
			.orderBy(asc(departments.position)),
		...recordColumnQueries(ctx)
	]);
	const initiative = initiativeRows[0];
	if (!initiative) throw new NotFoundError('initiative');
	const [nodes, planRows] = columnRows as unknown as [
		Parameters<typeof recordColumnsOf>[1],
		{ recordColumns: Parameters<typeof recordColumnsOf>[2] }[]
	];
	const saved = task.state !== 'open';
	// "Last year" is the latest earlier year with records: a city that skipped a year starts from what it has.
	const lastYear = records.findLast((r) => r.fiscalYear < year)?.fiscalYear ?? year - 1;
	const lastActual = prefill(records, figures, task.departmentId, lastYear, ['actual', 'summary']);
	const thisPlan = prefill(records, figures, task.departmentId, year, ['plan']);
	const values = saved
		? {
				actualText: task.actualText ?? '',
				actualMetrics: task.actualMetrics ?? [],
				planText: task.planText ?? '',
				planMetrics: task.planMetrics ?? [],
				progress: task.progress
			}
		: {
				actualText: lastActual?.text ?? thisPlan?.text ?? '',
				actualMetrics: lastActual?.metrics ?? thisPlan?.metrics ?? [],
				planText: '',
				planMetrics: [] as TaskMetric[],
				progress: null
			};
	const { round, ...rest } = task;
	const withFigures = (r: RecordRow) => ({ ...r, metrics: figures.filter((f) => f.recordId === r.id) });
	return {
		task: { ...rest, departmentName: departmentRows[0]?.name ?? null },
		round: { ...round, overdue: round.state === 'open' && isOverdue(round.deadline, ctx.now()) },
		initiative,
		values,
		prefilled: !saved && (lastActual !== null || thisPlan !== null),
		editable: round.state === 'open' && (OPEN_TASK_STATES as readonly string[]).includes(task.state),
		previousYear: lastYear,
		previous: records.filter((r) => r.fiscalYear === lastYear).map(withFigures),
		current: records.filter((r) => r.fiscalYear === year).map(withFigures),
		columns: recordColumnsOf(initiative.nodeId, nodes, planRows[0]?.recordColumns),
		/** The city's departments, for a comment to mention. */
		departments: cityDepartments
	};
}

function writableTask(ctx: TenantContext, id: string, version: number | undefined, authorize: (task: TaskRow) => void) {
	return (write: (task: TaskRow) => Statement[]) =>
		versionedWrite(ctx, {
			what: 'task',
			read: () => taskRow(ctx, id),
			expected: version,
			authorize,
			write
		});
}

/** Saves a task as a draft, or submits it for review: only while the round is open and the task is the department's to fill. */
export async function saveTask({ ctx, input: raw }: VerbArgs): Promise<{ state: TaskState }> {
	const { id } = parseInput(target, raw);
	const found = await taskRow(ctx, id);
	if (!found) throw new NotFoundError('task');
	authorizeTask(ctx, found);
	const input = parseInput(saveTaskInput, raw);
	const submit = input.intent === 'submit';
	if (submit) {
		const issues: FieldIssues = {};
		if (!input.actualText) issues.actualText = { key: 'error_task_actual_required' };
		if (!input.progress) issues.progress = { key: 'error_task_progress_required' };
		if (Object.keys(issues).length) throw new InvalidError(issues);
	}
	// A draft saved as the page showed it (last year's text, or the draft as saved) changes nothing.
	if (!submit && sameValues((await readTask({ ctx, input: { id } })).values, input)) return { state: found.state };
	const state: TaskState = submit ? 'submitted' : 'draft';
	await writableTask(ctx, id, input.version, (task) => {
		authorizeTask(ctx, task);
		if (task.round.state !== 'open') throw invalid('form', 'error_round_closed_edit');
		if (!(OPEN_TASK_STATES as readonly string[]).includes(task.state)) throw invalid('form', 'error_task_not_editable');
	})((task) => [
		updateVersioned(ctx, roundTasks, task, {
			state,
			actualText: input.actualText || null,
			actualMetrics: input.actualMetrics,
			planText: input.planText || null,
			planMetrics: input.planMetrics,
			progress: input.progress ?? null,
			savedBy: ctx.actor.email ?? null,
			...(submit ? { submittedAt: new Date(ctx.now()), submittedBy: ctx.actor.email ?? null } : {})
		})
	]);
	return { state };
}

type TaskValues = Pick<TaskForm, 'actualText' | 'planText' | 'actualMetrics' | 'planMetrics'> & {
	progress?: ProgressStatus | null | undefined;
};

function sameValues(shown: TaskValues, input: TaskValues): boolean {
	const figures = (list: TaskMetric[]) => JSON.stringify(list.map((f) => [f.label, f.value, f.unit]));
	return (
		shown.actualText.trim() === input.actualText &&
		shown.planText.trim() === input.planText &&
		(shown.progress ?? null) === (input.progress ?? null) &&
		figures(shown.actualMetrics) === figures(input.actualMetrics) &&
		figures(shown.planMetrics) === figures(input.planMetrics)
	);
}

const reviewable = (ctx: TenantContext) => (task: TaskRow) => {
	ctx.authorize('round.manage');
	if (task.round.state !== 'open') throw invalid('form', 'error_round_closed_edit');
	if (task.state !== 'submitted') throw invalid('form', 'error_task_not_submitted');
};

/** Sends a submission back to its department with a comment saying what to change. */
export async function returnTask({ ctx, input: raw }: VerbArgs): Promise<void> {
	ctx.authorize('round.manage');
	const input = parseInput(returnTaskInput, raw);
	await writableTask(
		ctx,
		input.id,
		input.version,
		reviewable(ctx)
	)((task) => [
		updateVersioned(ctx, roundTasks, task, {
			state: 'returned',
			reviewedAt: new Date(ctx.now()),
			reviewedBy: ctx.actor.email ?? null
		}),
		ctx.db.insert(comments).values({
			id: newId(),
			initiativeId: task.initiativeId,
			taskId: task.id,
			body: input.comment,
			kind: 'return',
			actorId: ctx.actor.id,
			actorEmail: ctx.actor.email ?? null,
			actorRole: ctx.actor.role ?? null,
			at: new Date(ctx.now())
		})
	]);
}

/**
 * Approves a submission: the year's actual (with its progress, figures final) and the next year's
 * plan (figures planned) become the initiative's records for the department, replacing the
 * department's records of that year and phase, as one batch with the history.
 */
export async function approveTask({ ctx, input: raw }: VerbArgs): Promise<void> {
	ctx.authorize('round.manage');
	const input = parseInput(versioned, raw);
	const found = await taskRow(ctx, input.id);
	if (!found) throw new NotFoundError('task');
	const year = found.round.fiscalYear;
	const existing = await ctx.db
		.select({
			id: yearlyRecords.id,
			version: yearlyRecords.version,
			fiscalYear: yearlyRecords.fiscalYear,
			phase: yearlyRecords.phase,
			position: yearlyRecords.position
		})
		.from(yearlyRecords)
		.where(
			and(
				eq(yearlyRecords.initiativeId, found.initiativeId),
				isNull(yearlyRecords.deletedAt),
				found.departmentId ? eq(yearlyRecords.departmentId, found.departmentId) : isNull(yearlyRecords.departmentId),
				or(
					and(eq(yearlyRecords.fiscalYear, year), eq(yearlyRecords.phase, 'actual')),
					and(eq(yearlyRecords.fiscalYear, year + 1), eq(yearlyRecords.phase, 'plan'))
				)
			)
		)
		.orderBy(asc(yearlyRecords.position));
	const positions = await ctx.db
		.select({ position: yearlyRecords.position })
		.from(yearlyRecords)
		.where(eq(yearlyRecords.initiativeId, found.initiativeId))
		.orderBy(desc(yearlyRecords.position))
		.limit(1);
	let nextPosition = (positions[0]?.position ?? -1) + 1;

	await writableTask(
		ctx,
		input.id,
		input.version,
		reviewable(ctx)
	)((task) => {
		const statements: Statement[] = [];
		const write = (fiscalYear: number, phase: 'actual' | 'plan', text: string, figures: TaskMetric[]) => {
			const [kept, ...others] = existing.filter((r) => r.fiscalYear === fiscalYear && r.phase === phase);
			const recordId = kept?.id ?? newId();
			const fields = { text, progress: phase === 'actual' ? task.progress : null, roundId: task.roundId };
			if (kept) {
				statements.push(
					updateVersioned(ctx, yearlyRecords, kept, fields),
					ctx.db.delete(metrics).where(eq(metrics.recordId, kept.id))
				);
			} else
				statements.push(
					ctx.db.insert(yearlyRecords).values({
						id: recordId,
						initiativeId: task.initiativeId,
						fiscalYear,
						phase,
						departmentId: task.departmentId,
						position: nextPosition++,
						...fields
					})
				);
			// The department's other records of that year and phase are replaced by the approved one.
			for (const other of others)
				statements.push(updateVersioned(ctx, yearlyRecords, other, { deletedAt: new Date(ctx.now()) }));
			if (figures.length)
				statements.push(
					ctx.db.insert(metrics).values(
						figures.map((f, position) => ({
							id: newId(),
							recordId,
							label: f.label,
							value: f.value,
							unit: f.unit,
							periodKind: 'fiscal_year' as const,
							periodYear: fiscalYear,
							status: phase === 'plan' ? ('planned' as const) : ('final' as const),
							position
						}))
					)
				);
			statements.push(
				auditEntry(ctx, {
					entity: 'initiative',
					entityId: task.initiativeId,
					action: 'update',
					before: null,
					after: { record: { fiscalYear, phase, text, departmentId: task.departmentId, metrics: figures } }
				})
			);
			return recordId;
		};
		const actualRecordId = write(year, 'actual', task.actualText ?? '', task.actualMetrics ?? []);
		const planRecordId = task.planText ? write(year + 1, 'plan', task.planText, task.planMetrics ?? []) : null;
		statements.unshift(
			updateVersioned(ctx, roundTasks, task, {
				state: 'approved',
				reviewedAt: new Date(ctx.now()),
				reviewedBy: ctx.actor.email ?? null,
				actualRecordId,
				planRecordId
			})
		);
		return statements;
	});
}

/**
 * Closes a round: its year's records are locked from then on (the database refuses any change,
 * migration 0008), and publishing offers its figures. Submissions still waiting for review must be
 * approved or returned first, so that nothing a department sent is silently left out.
 */
export async function closeRound({ ctx, input: raw }: VerbArgs): Promise<void> {
	ctx.authorize('round.manage');
	const input = parseInput(versioned, raw);
	const waiting = await ctx.db
		.select({ id: roundTasks.id })
		.from(roundTasks)
		.where(and(eq(roundTasks.roundId, input.id), eq(roundTasks.state, 'submitted')));
	await versionedWrite(ctx, {
		what: 'round',
		read: async () => (await ctx.db.select().from(reportingRounds).where(eq(reportingRounds.id, input.id)))[0],
		expected: input.version,
		authorize: (round) => {
			if (round.state !== 'open') throw invalid('form', 'error_round_already_closed');
			if (waiting.length) throw invalid('form', 'error_round_waiting', { count: waiting.length });
		},
		write: (round) => [
			updateVersioned(ctx, reportingRounds, round, {
				state: 'closed',
				closedAt: new Date(ctx.now()),
				closedBy: ctx.actor.email ?? null
			}),
			auditEntry(ctx, {
				entity: 'round',
				entityId: round.id,
				action: 'update',
				before: { state: 'open' },
				after: { state: 'closed', fiscalYear: round.fiscalYear }
			})
		]
	});
}

/** The fiscal years whose round is closed, newest first: what publishing offers as confirmed. */
export async function closedRoundYears(ctx: TenantContext): Promise<number[]> {
	return (await closedRounds(ctx)).map((r) => r.fiscalYear).toSorted((a, b) => b - a);
}
