// A tenant database: one city's whole plan and its history. Nothing here refers to another city.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const periodKinds = ['fiscal_year', 'calendar_year'] as const;
export const valueStatuses = ['final', 'provisional'] as const;
export const recordPhases = ['actual', 'plan'] as const;
export const planKinds = ['plan', 'guideline', 'report'] as const;
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

// The city's own history: who changed what, before and after. Actor ids are core user ids.
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: text('id').primaryKey(),
		at: integer('at', { mode: 'timestamp_ms' }).notNull(),
		actorId: text('actor_id'),
		actorName: text('actor_name'),
		entity: text('entity').notNull(),
		entityId: text('entity_id').notNull(),
		action: text('action').notNull(),
		before: text('before', { mode: 'json' }),
		after: text('after', { mode: 'json' })
	},
	(t) => [index('audit_entity_idx').on(t.entity, t.entityId, t.at), index('audit_at_idx').on(t.at)]
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
	auditLog
};
