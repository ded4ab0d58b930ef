// Published benchmark facts: what cities chose to share, copied from their own databases when they
// publish a fiscal year. A benchmark view reads only these tables, in one batch.
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { periodKinds, prefectures, tenants } from './schema.ts';

export const factKinds = ['indicator', 'category'] as const;

export const benchmarkFacts = sqliteTable(
	'benchmark_facts',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		municipalityCode: text('municipality_code').notNull(),
		prefectureCode: text('prefecture_code').notNull(),
		fiscalYear: integer('fiscal_year').notNull(),
		/** indicator: a shared indicator's value; category: initiatives counted in a taxonomy category. */
		kind: text('kind', { enum: factKinds }).notNull().default('indicator'),
		indicatorCode: text('indicator_code'),
		categoryCode: text('category_code'),
		value: real('value').notNull(),
		periodKind: text('period_kind', { enum: periodKinds }).notNull(),
		periodYear: integer('period_year').notNull(),
		targetValue: real('target_value'),
		targetYear: integer('target_year'),
		baselineValue: real('baseline_value'),
		sourceId: text('source_id'), // the tenant rows it was copied from
		/** indicator: where the figure comes from; category: the titles of the initiatives. */
		detail: text('detail', { mode: 'json' }),
		publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull(),
		/** The taxonomy version in force when it was published: category facts compare within one. */
		taxonomyVersion: integer('taxonomy_version').notNull().default(1)
	},
	(t) => [
		index('facts_prefecture_year_idx').on(t.prefectureCode, t.fiscalYear, t.indicatorCode),
		index('facts_tenant_year_idx').on(t.tenantId, t.fiscalYear)
	]
);

export const benchmarkPublications = sqliteTable(
	'benchmark_publications',
	{
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		prefectureCode: text('prefecture_code')
			.notNull()
			.references(() => prefectures.code),
		fiscalYear: integer('fiscal_year').notNull(),
		publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull(),
		publishedBy: text('published_by'),
		publishedByName: text('published_by_name').notNull(),
		factCount: integer('fact_count').notNull(),
		taxonomyVersion: integer('taxonomy_version').notNull().default(1)
	},
	(t) => [
		primaryKey({ columns: [t.tenantId, t.fiscalYear] }),
		index('publications_prefecture_idx').on(t.prefectureCode, t.fiscalYear)
	]
);
