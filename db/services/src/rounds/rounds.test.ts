// A reporting round at service level (real sqld, 小金井市 seed): opening gives a task per
// initiative × department, prefilled from last year; drafts, submission, return with a comment,
// approval writing final records; closing locks the year against every write path.
import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCore, type TenantDb } from '@mamori/db';
import { comments, initiativeDepartments, initiatives, metrics, yearlyRecords } from '@mamori/db/tenant';
import { seededCity } from '../../test/seeded.ts';
import { testContext } from '../../test/context.ts';
import { addYearlyRecord, InvalidError, updateYearlyRecord, addMetric, type TenantContext } from '../index.ts';
import {
	approveTask,
	closeRound,
	closedRoundYears,
	listComments,
	listRounds,
	openRound,
	readRound,
	readTask,
	returnTask,
	saveTask
} from './index.ts';

const refusal = async (work: Promise<unknown>) => {
	const error = await work.catch((e: unknown) => e);
	expect(error).toBeInstanceOf(InvalidError);
	return (error as InvalidError).issues;
};

describe('a reporting round of 小金井市 for 令和2年度', () => {
	let db: TenantDb;
	let ctx: TenantContext;
	let roundId: string;
	let initiativeCount: number;
	let pairCount: number;

	beforeAll(async () => {
		const city = await seededCity('koganei');
		db = city.db;
		ctx = testContext({
			db,
			core: openCore(city.core),
			actor: { id: 'u', name: '地域安全課', email: 'admin@koganei.example', role: 'admin' }
		});
		const live = await db.select({ id: initiatives.id }).from(initiatives).where(isNull(initiatives.deletedAt));
		const pairs = await db.select().from(initiativeDepartments);
		initiativeCount = live.length;
		// An initiative with no department still gets one task (the section answers it).
		pairCount = live.reduce((n, i) => n + Math.max(1, pairs.filter((p) => p.initiativeId === i.id).length), 0);
	});

	it('opens one task per initiative × department, and refuses a second round for the year', async () => {
		const opened = await openRound({
			ctx,
			input: { fiscalYear: '令和2', deadline: '2021-05-31', reminderLeadDays: '7' }
		});
		roundId = opened.id;
		expect(initiativeCount).toBeGreaterThan(20);
		expect(opened.tasks).toBe(pairCount);
		const round = await readRound({ ctx, input: { id: roundId } });
		expect(round.round).toMatchObject({ fiscalYear: 2020, deadline: '2021-05-31', state: 'open' });
		expect(round.counts).toEqual({ total: pairCount, open: pairCount, submitted: 0, approved: 0 });
		expect(await refusal(openRound({ ctx, input: { fiscalYear: '2020', deadline: '2021-05-31' } }))).toHaveProperty(
			'fiscalYear.key',
			'error_round_exists'
		);
		// A city may name the statuses in its own words.
		await openRound({
			ctx,
			input: { fiscalYear: '2021', deadline: '2022-05-31', progressLabels: { done: '実施済', partial: ' ' } }
		});
		expect((await listRounds({ ctx })).find((r) => r.fiscalYear === 2021)?.progressLabels).toEqual({ done: '実施済' });
		expect(await refusal(openRound({ ctx, input: { fiscalYear: '2022', deadline: '2021-02-30' } }))).toHaveProperty(
			'deadline.key',
			'validation_date'
		);
	});

	it('prefills a task with last year’s text and figures, keeps drafts, submits, returns with a comment, resubmits and approves', async () => {
		const { tasks } = await readRound({ ctx, input: { id: roundId } });
		const task = tasks.find((t) => t.initiativeTitle.startsWith('CoCoパトロール隊'))!;
		const first = await readTask({ ctx, input: { id: task.id } });
		// 令和元年度's record of 地域安全課: 車両数 15台, パトロール回数 503回, 距離 9,344km.
		expect(first.prefilled).toBe(true);
		expect(first.values.actualText).toContain('パトロール回数 503回');
		expect(first.values.actualMetrics).toContainEqual({ label: 'パトロール回数', value: 503, unit: '回' });

		// Saved as shown (last year's text and figures, no status), a draft changes nothing.
		const shown = { ...first.values, progress: '', intent: 'draft', id: task.id, version: 1 };
		expect(await saveTask({ ctx, input: shown })).toEqual({ state: 'open' });
		expect((await readTask({ ctx, input: { id: task.id } })).task).toMatchObject({ state: 'open', version: 1 });

		const base = { actualText: '・パトロール回数 480回', planText: '・パトロール回数 500回（予定）' };
		const metric = [{ label: 'パトロール回数', value: '480', unit: '回' }];
		await saveTask({ ctx, input: { id: task.id, version: 1, ...base, actualMetrics: metric, intent: 'draft' } });
		expect((await readTask({ ctx, input: { id: task.id } })).task.state).toBe('draft');

		// Submitting needs the year's actual and a status.
		const missing = await refusal(saveTask({ ctx, input: { id: task.id, version: 2, ...base, intent: 'submit' } }));
		expect(missing).toHaveProperty('progress.key', 'error_task_progress_required');
		await saveTask({
			ctx,
			input: { id: task.id, version: 2, ...base, actualMetrics: metric, progress: 'done', intent: 'submit' }
		});
		// A submitted task is not the department's to change until it is returned.
		expect(
			await refusal(saveTask({ ctx, input: { id: task.id, version: 3, ...base, intent: 'draft' } }))
		).toHaveProperty('form.key', 'error_task_not_editable');

		await returnTask({ ctx, input: { id: task.id, version: 3, comment: '距離も記入してください。' } });
		const returned = await readTask({ ctx, input: { id: task.id } });
		expect(returned.task.state).toBe('returned');
		expect(await listComments({ ctx, input: { initiativeId: task.initiativeId, taskId: task.id } })).toMatchObject([
			{ kind: 'return', body: '距離も記入してください。' }
		]);

		await saveTask({
			ctx,
			input: {
				id: task.id,
				version: 4,
				...base,
				actualMetrics: [...metric, { label: '距離', value: '8,100', unit: 'km' }],
				progress: 'done',
				intent: 'submit'
			}
		});
		await approveTask({ ctx, input: { id: task.id, version: 5 } });
		const approved = await readTask({ ctx, input: { id: task.id } });
		expect(approved.task.state).toBe('approved');
		const [record] = await db
			.select()
			.from(yearlyRecords)
			.where(and(eq(yearlyRecords.id, approved.task.actualRecordId!)));
		expect(record).toMatchObject({
			fiscalYear: 2020,
			phase: 'actual',
			progress: 'done',
			roundId,
			text: base.actualText
		});
		const figures = await db.select().from(metrics).where(eq(metrics.recordId, record!.id));
		expect(figures.map((f) => [f.label, f.value, f.status])).toEqual([
			['パトロール回数', 480, 'final'],
			['距離', 8100, 'final']
		]);
		const [plan] = await db.select().from(yearlyRecords).where(eq(yearlyRecords.id, approved.task.planRecordId!));
		expect(plan).toMatchObject({ fiscalYear: 2021, phase: 'plan', text: base.planText });
		expect(await db.select().from(comments).where(eq(comments.taskId, task.id))).toHaveLength(1);
	});

	it('will not close while a submission waits for review; closed, the year is locked for every write', async () => {
		const { tasks, round } = await readRound({ ctx, input: { id: roundId } });
		const other = tasks.find((t) => t.state === 'open' && t.departmentId)!;
		await saveTask({
			ctx,
			input: { id: other.id, version: other.version, actualText: '実施した', progress: 'partial', intent: 'submit' }
		});
		expect(await refusal(closeRound({ ctx, input: { id: roundId, version: round.version } }))).toHaveProperty(
			'form.key',
			'error_round_waiting'
		);
		await approveTask({ ctx, input: { id: other.id, version: other.version + 1 } });
		await closeRound({ ctx, input: { id: roundId, version: round.version } });
		expect((await listRounds({ ctx })).find((r) => r.id === roundId)).toMatchObject({
			fiscalYear: 2020,
			state: 'closed'
		});
		expect(await closedRoundYears(ctx)).toEqual([2020]);

		const approved = (await readTask({ ctx, input: { id: other.id } })).task;
		const [record] = await db.select().from(yearlyRecords).where(eq(yearlyRecords.id, approved.actualRecordId!));
		const locked = { key: 'error_year_locked' };
		expect(
			(
				await refusal(
					updateYearlyRecord({
						ctx,
						input: { id: record!.id, version: record!.version, fiscalYear: '2020', phase: 'actual', text: '後から' }
					})
				)
			).form
		).toEqual(locked);
		expect(
			(await refusal(addMetric({ ctx, input: { recordId: record!.id, label: '回数', value: '1', unit: '回' } }))).form
		).toEqual(locked);
		expect(
			(
				await refusal(
					addYearlyRecord({
						ctx,
						input: {
							initiativeId: record!.initiativeId,
							fiscalYear: '2020',
							phase: 'actual',
							text: '追加',
							metrics: []
						}
					})
				)
			).form
		).toEqual(locked);
		// The next year's plan is still the department's to write (it is not the closed year's).
		await addYearlyRecord({
			ctx,
			input: { initiativeId: record!.initiativeId, fiscalYear: '2021', phase: 'plan', text: '予定', metrics: [] }
		});
		// Nothing of the round's tasks can change either.
		const open = (await readRound({ ctx, input: { id: roundId } })).tasks.find((t) => t.state === 'open')!;
		expect(
			await refusal(saveTask({ ctx, input: { id: open.id, version: open.version, actualText: 'x', intent: 'draft' } }))
		).toHaveProperty('form.key', 'error_round_closed_edit');
	});
});
