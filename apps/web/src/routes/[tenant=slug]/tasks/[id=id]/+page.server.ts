import { fail } from '@sveltejs/kit';
import { can } from '@mamori/services/auth';
import { approveTask, listComments, readTask, returnTask, saveTask } from '@mamori/services/rounds';
import { commentAction } from '$lib/server/comments';
import { loading } from '$lib/server/errors';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: { save: 'plan.edit', return: 'round.manage', approve: 'round.manage', comment: 'plan.comment' }
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const task = await readTask({ ctx, input: { id: params.id } });
		const comments = await listComments({ ctx, input: { initiativeId: task.initiative.id, taskId: task.task.id } });
		return {
			...task,
			comments,
			canComment: can(locals.principal, 'plan.comment', { tenant: locals.tenant }),
			// The department's staff fill it; the section reviews it (the services decide again).
			canFill: task.editable && canEdit(locals, task.task.departmentId ? [task.task.departmentId] : 'all'),
			canReview: can(locals.principal, 'round.manage', { tenant: locals.tenant }) && task.round.state === 'open'
		};
	});

const FIGURE_KEYS = ['label', 'value', 'unit'] as const;

/**
 * The figure rows a form posts (actualMetrics.0.label, …) as a list; rows left wholly empty are
 * dropped, so `positions[i]` is the row the i-th figure came from, to put its errors back there.
 */
function figureRows(values: Record<string, unknown>, list: string) {
	const indexes = new Set<number>();
	for (const key of Object.keys(values)) {
		const match = new RegExp(`^${list}\\.(\\d+)\\.`).exec(key);
		if (match) indexes.add(Number(match[1]));
	}
	const rows: Record<string, unknown>[] = [];
	const positions: number[] = [];
	for (const i of [...indexes].toSorted((a, b) => a - b)) {
		const row = Object.fromEntries(FIGURE_KEYS.map((k) => [k, values[`${list}.${i}.${k}`] ?? '']));
		if (FIGURE_KEYS.every((k) => String(row[k]).trim() === '')) continue;
		rows.push(row);
		positions.push(i);
	}
	return { rows, positions };
}

export const actions: Actions = {
	save: async (event) => {
		let placed: Record<string, number[]> = {};
		const result = await formAction(event, 'save', async (values) => {
			const actual = figureRows(values, 'actualMetrics');
			const plan = figureRows(values, 'planMetrics');
			placed = { actualMetrics: actual.positions, planMetrics: plan.positions };
			const input = { ...values, id: event.params.id, actualMetrics: actual.rows, planMetrics: plan.rows };
			return saveTask({ ctx: tenantContext(event.locals), input });
		});
		if ('saved' in result || !('data' in result) || !result.data.errors) return result;
		// A figure's error goes back beside the row it was typed in.
		const errors = Object.fromEntries(
			Object.entries(result.data.errors).map(([key, text]) => {
				const [list, index, ...rest] = key.split('.');
				const row = placed[list ?? '']?.[Number(index)];
				return [row === undefined ? key : [list, row, ...rest].join('.'), text];
			})
		);
		return fail(result.status, { ...result.data, errors });
	},
	return: (event) =>
		formAction(event, 'return', async (values) => {
			await returnTask({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),
	/** A comment on this submission (the initiative's comment, with this task's id). */
	comment: (event) =>
		commentAction(
			event,
			async () => (await readTask({ ctx: tenantContext(event.locals), input: { id: event.params.id } })).initiative.id
		),
	approve: (event) =>
		formAction(event, 'approve', async (values) => {
			await approveTask({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		})
};
