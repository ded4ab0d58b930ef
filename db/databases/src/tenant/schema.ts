// A tenant database: one city's whole plan and its history. Nothing here refers to another city.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const periodKinds = ['fiscal_year', 'calendar_year'] as const;
// final 確定, provisional 速報, planned 予定・目標, unknown: the source does not say.
export const valueStatuses = ['final', 'provisional', 'planned', 'unknown'] as const;
// actual: what was done (実績・取組み); plan: what is planned (予定); summary: a programme summary
// of the year (事業概要) that is neither results nor a plan.
export const recordPhases = ['actual', 'plan', 'summary'] as const;
// A stock is the total in place at the end of the period (年度末時点の累計); a flow is what
// happened during it (年度中). Null: the source does not say.
export const stockFlows = ['stock', 'flow'] as const;
/** How a plan names its record columns, per phase; "{year}" stands for the year as printed. */
export type RecordColumns = Partial<Record<(typeof recordPhases)[number], string>>;
export const planKinds = ['plan', 'guideline', 'report'] as const;
// How far an initiative got in a year: 実施 / 一部実施 / 未実施 / 完了 / 中止 (a city may rename them).
export const progressStatuses = ['done', 'partial', 'not_done', 'completed', 'cancelled'] as const;
export type ProgressStatus = (typeof progressStatuses)[number];
/** A city's own words for the progress statuses; a status left out keeps the default label. */
export type ProgressLabels = Partial<Record<ProgressStatus, string>>;
export const roundStates = ['open', 'closed'] as const;
// A task of a round: open (nothing saved yet), draft (saved, not sent), submitted, returned (sent
// back with a comment), approved (written as final records).
export const taskStates = ['open', 'draft', 'submitted', 'returned', 'approved'] as const;
export const reminderKinds = ['lead', 'overdue'] as const;
/** A figure of a submission, as entered; written as a metric when the submission is approved. */
export interface TaskMetric {
	label: string;
	value: number;
	unit: string;
	indicatorCode?: string | null;
}
export const directions = ['higher', 'lower'] as const;

const timestamps = {
	createdAt: integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`)
};
// Every editable row carries a version; a write based on an older version is refused.
const version = () => integer('version').notNull().default(1);
const deletedAt = () => integer('deleted_at', { mode: 'timestamp_ms' });

export const plans = sqliteTable('plans', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	kind: text('kind', { enum: planKinds }).notNull(),
	sourceDocument: text('source_document'),
	periodStart: integer('period_start'), // fiscal years (年度, Gregorian start year)
	periodEnd: integer('period_end'),
	levelLabels: text('level_labels', { mode: 'json' }).$type<string[]>().notNull(),
	initiativeLabel: text('initiative_label').notNull(),
	recordColumns: text('record_columns', { mode: 'json' }).$type<RecordColumns>(),
	notes: text('notes'),
	version: version(),
	...timestamps
});

export const departments = sqliteTable('departments', {
	id: text('id').primaryKey(),
	name: text('name').notNull().unique(),
	parentId: text('parent_id'),
	position: integer('position').notNull().default(0),
	version: version(),
	deletedAt: deletedAt(),
	...timestamps
});

export const planNodes = sqliteTable(
	'plan_nodes',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id),
		parentId: text('parent_id'),
		code: text('code'), // as printed: "1", "(1)", "１"
		title: text('title').notNull(),
		subtitle: text('subtitle'),
		summary: text('summary'), // 施策の概要
		currentState: text('current_state', { mode: 'json' }).$type<string[]>(), // 現状と課題
		relatedPlans: text('related_plans', { mode: 'json' }).$type<string[]>(), // 関連計画
		recordColumns: text('record_columns', { mode: 'json' }).$type<RecordColumns>(), // a section's own headings
		notes: text('notes'),
		position: integer('position').notNull(),
		version: version(),
		deletedAt: deletedAt(),
		...timestamps
	},
	(t) => [index('plan_nodes_parent_idx').on(t.planId, t.parentId, t.position)]
);

export const initiatives = sqliteTable(
	'initiatives',
	{
		id: text('id').primaryKey(),
		planId: text('plan_id')
			.notNull()
			.references(() => plans.id),
		nodeId: text('node_id')
			.notNull()
			.references(() => planNodes.id),
		code: text('code'),
		title: text('title').notNull(),
		description: text('description'),
		planRef: text('plan_ref'), // 施策番号
		departmentNote: text('department_note'), // e.g. 【全庁】
		// Category codes a taxonomy migration added by a rule the city is asked to check; null once
		// the city has confirmed the categories or saved them.
		taxonomyReview: text('taxonomy_review', { mode: 'json' }).$type<string[]>(),
		position: integer('position').notNull(),
		version: version(),
		deletedAt: deletedAt(),
		...timestamps
	},
	(t) => [index('initiatives_node_idx').on(t.nodeId, t.position)]
);

export const initiativeDepartments = sqliteTable(
	'initiative_departments',
	{
		initiativeId: text('initiative_id')
			.notNull()
			.references(() => initiatives.id, { onDelete: 'cascade' }),
		departmentId: text('department_id')
			.notNull()
			.references(() => departments.id),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.initiativeId, t.departmentId] })]
);

// Codes of the shared taxonomy (core database); validated on write.
export const initiativeCategories = sqliteTable(
	'initiative_categories',
	{
		initiativeId: text('initiative_id')
			.notNull()
			.references(() => initiatives.id, { onDelete: 'cascade' }),
		categoryCode: text('category_code').notNull(),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.initiativeId, t.categoryCode] })]
);

export const yearlyRecords = sqliteTable(
	'yearly_records',
	{
		id: text('id').primaryKey(),
		initiativeId: text('initiative_id')
			.notNull()
			.references(() => initiatives.id),
		fiscalYear: integer('fiscal_year').notNull(),
		phase: text('phase', { enum: recordPhases }).notNull(),
		departmentId: text('department_id').references(() => departments.id),
		text: text('text').notNull(),
		// How far the initiative got that year, as its department reported it (actual records only).
		progress: text('progress', { enum: progressStatuses }),
		// The reporting round whose approved submission wrote this record; closing the round locks it.
		roundId: text('round_id'),
		position: integer('position').notNull(),
		version: version(),
		deletedAt: deletedAt(),
		...timestamps
	},
	(t) => [index('yearly_records_initiative_idx').on(t.initiativeId, t.fiscalYear)]
);

// A number with a unit, structured beside the sentence of a yearly record it comes from.
export const metrics = sqliteTable(
	'metrics',
	{
		id: text('id').primaryKey(),
		recordId: text('record_id')
			.notNull()
			.references(() => yearlyRecords.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		value: real('value').notNull(),
		unit: text('unit').notNull(),
		indicatorCode: text('indicator_code'), // shared indicator (core database)
		periodKind: text('period_kind', { enum: periodKinds }).notNull(),
		periodYear: integer('period_year').notNull(),
		status: text('status', { enum: valueStatuses }).notNull().default('final'),
		stockFlow: text('stock_flow', { enum: stockFlows }),
		approximate: integer('approximate', { mode: 'boolean' }).notNull().default(false),
		cumulative: integer('cumulative', { mode: 'boolean' }).notNull().default(false),
		note: text('note'),
		position: integer('position').notNull(),
		version: version(),
		...timestamps
	},
	(t) => [index('metrics_record_idx').on(t.recordId)]
);

// 成果指標: a KPI of a plan node, with baseline and target.
export const indicators = sqliteTable(
	'indicators',
	{
		id: text('id').primaryKey(),
		nodeId: text('node_id')
			.notNull()
			.references(() => planNodes.id),
		name: text('name').notNull(),
		unit: text('unit').notNull(),
		direction: text('direction', { enum: directions }).notNull(),
		sharedIndicatorCode: text('shared_indicator_code'),
		stockFlow: text('stock_flow', { enum: stockFlows }),
		baselineValue: real('baseline_value'),
		baselineText: text('baseline_text'),
		baselinePeriodKind: text('baseline_period_kind', { enum: periodKinds }),
		baselineYear: integer('baseline_year'),
		baselineStatus: text('baseline_status', { enum: valueStatuses }),
		baselineNote: text('baseline_note'),
		targetValue: real('target_value'),
		targetText: text('target_text'),
		targetPeriodKind: text('target_period_kind', { enum: periodKinds }),
		targetYear: integer('target_year'),
		targetNote: text('target_note'),
		position: integer('position').notNull(),
		version: version(),
		deletedAt: deletedAt(),
		...timestamps
	},
	(t) => [index('indicators_node_idx').on(t.nodeId, t.position)]
);

export const indicatorValues = sqliteTable(
	'indicator_values',
	{
		id: text('id').primaryKey(),
		indicatorId: text('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		periodKind: text('period_kind', { enum: periodKinds }).notNull(),
		periodYear: integer('period_year').notNull(),
		value: real('value').notNull(),
		status: text('status', { enum: valueStatuses }).notNull().default('final'),
		note: text('note'),
		version: version(),
		...timestamps
	},
	(t) => [index('indicator_values_indicator_idx').on(t.indicatorId, t.periodYear)]
);

// The taxonomy versions this city's categorisation has been moved to (none: version 1, as loaded).
export const taxonomyAdoptions = sqliteTable('taxonomy_adoptions', {
	version: integer('version').primaryKey(),
	adoptedAt: integer('adopted_at', { mode: 'timestamp_ms' }).notNull(),
	actorName: text('actor_name'),
	changed: integer('changed').notNull(), // initiatives whose categories changed
	flagged: integer('flagged').notNull() // of those, the ones left for the city to review
});

// Another plan the city's numbering points into (苫小牧市's 施策番号 ア①… refer to 苫小牧市総合防犯計画
// （令和２年度から令和６年度）, 第３章 ２（１）): its title, period (年度) and section as printed, shown as
// the legend of those numbers.
export const planReferences = sqliteTable('plan_references', {
	id: text('id').primaryKey(),
	planId: text('plan_id')
		.notNull()
		.references(() => plans.id),
	title: text('title').notNull(),
	periodStart: integer('period_start'), // fiscal years (年度, Gregorian start year)
	periodEnd: integer('period_end'),
	section: text('section'), // e.g. 第３章 計画の推進 ２（１）市の取組 ア～カ
	page: text('page'), // as printed: 23ﾍﾟｰｼﾞ
	position: integer('position').notNull(),
	version: version(),
	deletedAt: deletedAt(),
	...timestamps
});

// A statistic that describes a policy area (the figures of 現状と課題: 刑法犯認知件数 1,444件 in
// 令和2年), with its period; mapped to a shared indicator it is published like any other figure.
export const nodeStatistics = sqliteTable(
	'node_statistics',
	{
		id: text('id').primaryKey(),
		nodeId: text('node_id')
			.notNull()
			.references(() => planNodes.id),
		label: text('label').notNull(),
		value: real('value').notNull(),
		unit: text('unit').notNull(),
		periodKind: text('period_kind', { enum: periodKinds }).notNull(),
		periodYear: integer('period_year').notNull(),
		status: text('status', { enum: valueStatuses }), // null: the source does not say
		sharedIndicatorCode: text('shared_indicator_code'),
		note: text('note'),
		position: integer('position').notNull(),
		version: version(),
		deletedAt: deletedAt(),
		...timestamps
	},
	(t) => [index('node_statistics_node_idx').on(t.nodeId, t.position)]
);

// The city's own history: who changed what, before and after. Actor ids are core user ids.
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: text('id').primaryKey(),
		at: integer('at', { mode: 'timestamp_ms' }).notNull(),
		actorId: text('actor_id'),
		actorName: text('actor_name'), // the display name the user chose: kept, not shown as who acted
		actorEmail: text('actor_email'), // the account, and its role in the city at the time
		actorRole: text('actor_role'),
		entity: text('entity').notNull(),
		entityId: text('entity_id').notNull(),
		action: text('action').notNull(),
		before: text('before', { mode: 'json' }),
		after: text('after', { mode: 'json' })
	},
	(t) => [index('audit_entity_idx').on(t.entity, t.entityId, t.at), index('audit_at_idx').on(t.at)]
);

// A yearly reporting round: each initiative × responsible department reports the year's actual
// and the next year's plan by the deadline; the section reviews; closing locks the year.
export const reportingRounds = sqliteTable('reporting_rounds', {
	id: text('id').primaryKey(),
	fiscalYear: integer('fiscal_year').notNull().unique(), // the year reported on; plans are for the next
	deadline: text('deadline').notNull(), // YYYY-MM-DD, the last day (Japan time)
	reminderLeadDays: integer('reminder_lead_days').notNull().default(7),
	progressLabels: text('progress_labels', { mode: 'json' }).$type<ProgressLabels>(),
	state: text('state', { enum: roundStates }).notNull().default('open'),
	openedBy: text('opened_by'), // the account (e-mail) that opened it
	closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
	closedBy: text('closed_by'),
	version: version(),
	...timestamps
});

export const roundTasks = sqliteTable(
	'round_tasks',
	{
		id: text('id').primaryKey(),
		roundId: text('round_id')
			.notNull()
			.references(() => reportingRounds.id, { onDelete: 'cascade' }),
		initiativeId: text('initiative_id')
			.notNull()
			.references(() => initiatives.id),
		// The responsible department; null when the initiative names none (the section answers).
		departmentId: text('department_id').references(() => departments.id),
		state: text('state', { enum: taskStates }).notNull().default('open'),
		actualText: text('actual_text'),
		actualMetrics: text('actual_metrics', { mode: 'json' }).$type<TaskMetric[]>(),
		planText: text('plan_text'),
		planMetrics: text('plan_metrics', { mode: 'json' }).$type<TaskMetric[]>(),
		progress: text('progress', { enum: progressStatuses }),
		savedBy: text('saved_by'), // accounts (e-mail)
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		submittedBy: text('submitted_by'),
		reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
		reviewedBy: text('reviewed_by'),
		actualRecordId: text('actual_record_id'), // the records approval wrote
		planRecordId: text('plan_record_id'),
		version: version(),
		...timestamps
	},
	(t) => [
		index('round_tasks_round_idx').on(t.roundId, t.departmentId, t.state),
		index('round_tasks_initiative_idx').on(t.initiativeId)
	]
);

// Every reminder sent (or attempted) for a round: at most one per department and day.
export const roundReminders = sqliteTable(
	'round_reminders',
	{
		id: text('id').primaryKey(),
		roundId: text('round_id')
			.notNull()
			.references(() => reportingRounds.id, { onDelete: 'cascade' }),
		departmentId: text('department_id').notNull(), // '': tasks of initiatives with no department
		kind: text('kind', { enum: reminderKinds }).notNull(),
		day: text('day').notNull(), // YYYY-MM-DD, Japan time
		openTasks: integer('open_tasks').notNull(),
		recipients: text('recipients', { mode: 'json' }).$type<string[]>().notNull(),
		error: text('error'),
		sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('round_reminders_once_idx').on(t.roundId, t.departmentId, t.day)]
);

// Comments on an initiative, or on one submission of it (taskId); a comment may mention
// departments, whose staff are then notified.
export const comments = sqliteTable(
	'comments',
	{
		id: text('id').primaryKey(),
		initiativeId: text('initiative_id')
			.notNull()
			.references(() => initiatives.id),
		taskId: text('task_id').references(() => roundTasks.id, { onDelete: 'cascade' }),
		body: text('body').notNull(),
		// return: the comment a reviewer sent a submission back with.
		kind: text('kind', { enum: ['comment', 'return'] })
			.notNull()
			.default('comment'),
		mentions: text('mentions', { mode: 'json' }).$type<string[]>(), // department ids
		actorId: text('actor_id'),
		actorEmail: text('actor_email'),
		actorRole: text('actor_role'),
		at: integer('at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('comments_initiative_idx').on(t.initiativeId, t.at), index('comments_task_idx').on(t.taskId, t.at)]
);

export const tenantSchema = {
	plans,
	departments,
	planNodes,
	initiatives,
	initiativeDepartments,
	initiativeCategories,
	yearlyRecords,
	metrics,
	indicators,
	indicatorValues,
	taxonomyAdoptions,
	planReferences,
	nodeStatistics,
	auditLog,
	reportingRounds,
	roundTasks,
	roundReminders,
	comments
};
