import {
	addMetric,
	addYearlyRecord,
	confirmCategories,
	deleteInitiative,
	deleteMetric,
	deleteYearlyRecord,
	restoreVersion,
	restoreYearlyRecord,
	updateMetric,
	updateYearlyRecord,
	listDeletedRecords,
	listHistory,
	moveInitiative,
	readInitiative,
	restoreInitiative,
	updateInitiative
} from '@mamori/services';
import { can } from '@mamori/services/auth';
import { listComments } from '@mamori/services/rounds';
import { commentAction } from '$lib/server/comments';
import { loading } from '$lib/server/errors';
import { metricKeys, metricNames } from '$lib/components/workspace/row-fields';
import { canEdit, formAction, tenantContext } from '$lib/server/workspace';
import type { PageAccess } from '$lib/server/access';
import type { Actions, PageServerLoad } from './$types';

export const _access = {
	load: 'plan.read',
	actions: {
		update: 'plan.edit',
		addRecord: 'plan.edit',
		delete: 'plan.edit',
		restore: 'plan.edit',
		move: 'plan.edit',
		restoreVersion: 'plan.edit',
		confirmCategories: 'plan.edit',
		updateRecord: 'plan.edit',
		deleteRecord: 'plan.edit',
		restoreRecord: 'plan.edit',
		addMetric: 'plan.edit',
		updateMetric: 'plan.edit',
		deleteMetric: 'plan.edit',
		comment: 'plan.comment'
	}
} satisfies PageAccess<typeof actions>;

export const load: PageServerLoad = ({ locals, params }) =>
	loading(locals, async () => {
		const ctx = tenantContext(locals);
		const [detail, shared, history, deletedRecords, comments] = await Promise.all([
			readInitiative({ ctx, input: { id: params.id } }),
			ctx.shared(),
			listHistory({ ctx, input: { entity: 'initiative', entityId: params.id, limit: 20 } }),
			listDeletedRecords({ ctx, input: { id: params.id } }),
			listComments({ ctx, input: { initiativeId: params.id } })
		]);
		const mine = detail.allDepartments.filter((d) => canEdit(locals, [d.id]));
		const editable = canEdit(
			locals,
			detail.departments.map((d) => d.id)
		);
		return {
			...detail,
			deletedRecords,
			categories: shared.taxonomy.categories,
			retiredCategories: shared.taxonomy.retired,
			indicators: shared.indicators,
			history,
			canEdit: editable,
			// A department-limited editor sees another department's initiative read-only, and why.
			readOnlyFor: !editable && canEdit(locals) ? mine.map((d) => d.name) : null,
			// New records name one of the editor's departments (or none): the service refuses another.
			recordDepartments: mine,
			comments,
			// Any editor of the city may comment on any initiative, whatever their departments.
			canComment: can(locals.principal, 'plan.comment', { tenant: locals.tenant })
		};
	});

const lists = ['departmentIds', 'categoryCodes'];

export const actions: Actions = {
	update: (event) =>
		formAction(
			event,
			'edit',
			async (values) => {
				await updateInitiative({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
			},
			{ lists }
		),

	addRecord: (event) =>
		formAction(event, 'record', async (values) => {
			// The first figure, posted as metricLabel, metricValue, …: none when it has no label.
			const metric = Object.fromEntries(metricKeys.map((k) => [k, values[metricNames[k]]]));
			const input = {
				...values,
				initiativeId: event.params.id,
				metrics: String(metric.label ?? '').trim() ? [metric] : []
			};
			await addYearlyRecord({ ctx: tenantContext(event.locals), input });
		}),

	delete: (event) =>
		formAction(event, 'delete', async (values) => {
			await deleteInitiative({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),

	restore: (event) =>
		formAction(event, 'restore', async () => {
			await restoreInitiative({ ctx: tenantContext(event.locals), input: { id: event.params.id } });
		}),

	move: (event) =>
		formAction(event, 'move', async (values) => {
			await moveInitiative({
				ctx: tenantContext(event.locals),
				input: { ...values, id: event.params.id, direction: values.direction === 'up' ? 'up' : 'down' }
			});
		}),

	/** Back to the version an entry of the history replaced (`entryId`): the initiative's or a record's. */
	restoreVersion: (event) =>
		formAction(event, 'history', async (values) => {
			await restoreVersion({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),

	/** The categories a taxonomy migration gave the initiative, confirmed as they are. */
	confirmCategories: (event) =>
		formAction(event, 'review', async (values) => {
			await confirmCategories({ ctx: tenantContext(event.locals), input: { ...values, id: event.params.id } });
		}),

	// A yearly record and its metrics, corrected one by one; each form names its row (`id`), and
	// the answer says what was done (`did`), for the page's notice.
	updateRecord: (event) => formAction(event, rowForm('record'), (values) => run(event, updateYearlyRecord, values)),
	deleteRecord: (event) =>
		formAction(event, rowForm('record'), (values) => run(event, deleteYearlyRecord, values, 'deleteRecord')),
	restoreRecord: (event) =>
		formAction(event, rowForm('record'), (values) => run(event, restoreYearlyRecord, values, 'restoreRecord')),
	addMetric: (event) =>
		formAction(
			event,
			(values) => `metric-new-${String(values.recordId ?? '')}`,
			(values) => run(event, addMetric, values, 'addMetric')
		),
	updateMetric: (event) => formAction(event, rowForm('metric'), (values) => run(event, updateMetric, values)),
	deleteMetric: (event) =>
		formAction(event, rowForm('metric'), (values) => run(event, deleteMetric, values, 'deleteMetric')),

	/** A comment; the mentioned departments' staff are mailed after the answer (a failed mail loses nothing). */
	comment: (event) => commentAction(event, () => event.params.id)
};

/** The form of one row: `record-<id>`, `metric-<id>`. */
const rowForm = (kind: string) => (values: Record<string, unknown>) => `${kind}-${String(values.id ?? '')}`;

async function run(
	event: { locals: App.Locals },
	verb: (args: { ctx: ReturnType<typeof tenantContext>; input: unknown }) => Promise<unknown>,
	values: Record<string, unknown>,
	did: 'update' | 'deleteRecord' | 'restoreRecord' | 'addMetric' | 'deleteMetric' = 'update'
): Promise<{ did: typeof did }> {
	await verb({ ctx: tenantContext(event.locals), input: values });
	return { did };
}
