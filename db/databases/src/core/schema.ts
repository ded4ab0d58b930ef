// The core database: what all cities share, and who may see which city.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
	integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`);

export const prefectures = sqliteTable('prefectures', {
	code: text('code').primaryKey(), // "01".."47"
	name: text('name').notNull(),
	kana: text('kana').notNull(),
	shortName: text('short_name').notNull(),
	nameEn: text('name_en').notNull(),
	iso3166_2: text('iso3166_2').notNull()
});

export const municipalities = sqliteTable(
	'municipalities',
	{
		code: text('code').primaryKey(), // 全国地方公共団体コード, 6 digits with check digit
		prefectureCode: text('prefecture_code')
			.notNull()
			.references(() => prefectures.code),
		name: text('name').notNull(),
		kana: text('kana').notNull(),
		url: text('url'),
		// Superseded by municipalityPopulations (one figure per reference date): no longer written
		// or read; kept until a later migration drops them (expand, then contract).
		population: integer('population'),
		populationDate: text('population_date'),
		populationKind: text('population_kind'),
		populationSource: text('population_source')
	},
	(t) => [index('municipalities_prefecture_idx').on(t.prefectureCode)]
);

// A municipality's population on a reference date (住民基本台帳: 1 January each year), with its
// kind and source: normalisation per population takes the date nearest a figure's period.
export const municipalityPopulations = sqliteTable(
	'municipality_populations',
	{
		municipalityCode: text('municipality_code')
			.notNull()
			.references(() => municipalities.code),
		referenceDate: text('reference_date').notNull(), // ISO date the figure refers to
		population: integer('population').notNull(),
		kind: text('kind').notNull(), // 住民基本台帳人口, 推計人口, 国勢調査…
		source: text('source').notNull(), // the publisher and table, or the page it was taken from
		note: text('note'), // caveats: a secondary source, a rounded figure
		importId: text('import_id'), // the populationImports row that wrote it; null when seeded
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.municipalityCode, t.referenceDate] }),
		check('municipality_populations_population_check', sql`${t.population} >= 0`)
	]
);

export const populationImportStatuses = ['pending', 'imported'] as const;

// An uploaded population table between its preview and the operator's confirmation: the parsed
// rows wait here (a Worker has no disk, and the confirmation may come in another request, without
// JavaScript too), and the row records the import once confirmed.
export const populationImports = sqliteTable(
	'population_imports',
	{
		id: text('id').primaryKey(),
		status: text('status', { enum: populationImportStatuses }).notNull().default('pending'),
		fileName: text('file_name').notNull(),
		referenceDate: text('reference_date').notNull(),
		kind: text('kind').notNull(),
		source: text('source').notNull(),
		rows: text('rows', { mode: 'json' }).$type<[code: string, population: number][]>().notNull(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		importedAt: integer('imported_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('population_imports_expires_idx').on(t.expiresAt)]
);

export const tenantStatuses = ['active', 'suspended'] as const;

export const tenants = sqliteTable('tenants', {
	id: text('id').primaryKey(),
	slug: text('slug').notNull().unique(),
	municipalityCode: text('municipality_code')
		.notNull()
		.unique()
		.references(() => municipalities.code),
	status: text('status', { enum: tenantStatuses }).notNull().default('active'),
	// Where the city's own database is: a name in the TenantDirectory and its URL.
	databaseName: text('database_name').notNull().unique(),
	databaseUrl: text('database_url').notNull(),
	// Kept by the fleet migrator: the last migration applied and the last failure, if any.
	schemaVersion: text('schema_version'),
	migratedAt: integer('migrated_at', { mode: 'timestamp_ms' }),
	migrationError: text('migration_error'),
	shareName: integer('share_name', { mode: 'boolean' }).notNull().default(false),
	// The city's page for residents (/shimin/{slug}): its plan and published progress, for anyone.
	// Off until the city's admin turns it on. Here, so the tenant lookup of a request reads it.
	residentPage: integer('resident_page', { mode: 'boolean' }).notNull().default(false),
	createdAt: createdAt()
});

export const restoreSources = ['json', 'sqlite'] as const;

// A city database restored from an export (db/services/src/export): which tenant it became, who
// restored it and when, and from what file (its name, kind, SHA-256 and format version).
export const tenantRestores = sqliteTable(
	'tenant_restores',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id),
		restoredBy: text('restored_by').references(() => users.id, { onDelete: 'set null' }),
		restoredAt: integer('restored_at', { mode: 'timestamp_ms' }).notNull(),
		source: text('source', { enum: restoreSources }).notNull(),
		fileName: text('file_name').notNull(),
		fileSha256: text('file_sha256').notNull(),
		formatVersion: integer('format_version').notNull(),
		rowCount: integer('row_count').notNull()
	},
	(t) => [index('tenant_restores_tenant_idx').on(t.tenantId)]
);

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(), // stored lower-cased
	displayName: text('display_name').notNull(),
	passwordHash: text('password_hash'), // PHC string; null until an invitation is accepted
	isOperator: integer('is_operator', { mode: 'boolean' }).notNull().default(false),
	createdAt: createdAt()
});

export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: text('secret_hash').notNull(), // hex SHA-256 of the secret half of the token
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		lastVerifiedAt: integer('last_verified_at', { mode: 'timestamp_ms' }).notNull(),
		userAgent: text('user_agent')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const tenantRoles = ['viewer', 'editor', 'admin'] as const;

export const memberships = sqliteTable(
	'memberships',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		role: text('role', { enum: tenantRoles }).notNull(),
		// An editor may be limited to some of the city's departments (ids in the tenant db).
		departmentIds: text('department_ids', { mode: 'json' }).$type<string[]>(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.userId, t.tenantId] })]
);

export const prefectureOfficials = sqliteTable(
	'prefecture_officials',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		prefectureCode: text('prefecture_code')
			.notNull()
			.references(() => prefectures.code)
	},
	(t) => [primaryKey({ columns: [t.userId, t.prefectureCode] })]
);

// Failed sign-ins, per account (hash of the e-mail address) and per client address (hash of the
// IP, an IPv6 /64): kept in the core database so that every edge instance sees the same counts.
export const throttleScopes = ['account', 'address'] as const;

export const loginThrottles = sqliteTable(
	'login_throttles',
	{
		scope: text('scope', { enum: throttleScopes }).notNull(),
		keyHash: text('key_hash').notNull(), // hex SHA-256 of the normalised e-mail or address
		failures: integer('failures').notNull(),
		windowStartedAt: integer('window_started_at', { mode: 'timestamp_ms' }).notNull(),
		lastFailureAt: integer('last_failure_at', { mode: 'timestamp_ms' }).notNull(),
		blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' })
	},
	(t) => [primaryKey({ columns: [t.scope, t.keyHash] })]
);

// An invitation to join a city: a single-use token `<id>.<secret>`; only the secret's hash is kept.
export const invitations = sqliteTable(
	'invitations',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		email: text('email').notNull(), // lower-cased
		role: text('role', { enum: tenantRoles }).notNull(),
		departmentIds: text('department_ids', { mode: 'json' }).$type<string[]>(),
		secretHash: text('secret_hash').notNull(),
		invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
		acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [index('invitations_tenant_idx').on(t.tenantId), index('invitations_email_idx').on(t.email)]
);

// A password reset: a single-use token `<id>.<secret>` valid for an hour.
export const passwordResets = sqliteTable(
	'password_resets',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: text('secret_hash').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		usedAt: integer('used_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('password_resets_user_idx').on(t.userId)]
);

export const apiTokenScopes = ['read', 'write'] as const;

// A city's API tokens, created by its admins for its other systems: `mamori_<id>.<secret>`, found
// by id, only the SHA-256 of the secret kept (shown once, at creation). `read` reads the city's
// plan as a viewer does; `write` also changes it as an editor does, limited to department_ids
// when set (ids in the city's database), as department-limited editors are. Refused after
// expires_at or once revoked; the nightly cleanup deletes it then.
export const apiTokens = sqliteTable(
	'api_tokens',
	{
		id: text('id').primaryKey(),
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		scope: text('scope', { enum: apiTokenScopes }).notNull(),
		departmentIds: text('department_ids', { mode: 'json' }).$type<string[]>(),
		secretHash: text('secret_hash').notNull(),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
		// Written at most once a minute (authenticateApiToken), so a burst of reads is not a burst of writes.
		lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('api_tokens_tenant_idx').on(t.tenantId), index('api_tokens_expires_idx').on(t.expiresAt)]
);

// What the local mailer "sent": read by operators on /operator/mail, so that invitations and
// resets work without a mail server. A production mail transport does not write here.
export const mailOutbox = sqliteTable(
	'mail_outbox',
	{
		id: text('id').primaryKey(),
		to: text('to').notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('mail_outbox_created_idx').on(t.createdAt)]
);

// A city's history row of a change made in the core database (a publication, a member's role),
// written in the same core batch as the change, then copied into the city's audit_log (same id,
// so copying twice is harmless) and marked applied. A crash between the two databases leaves the
// row pending here, and the reconciler (the API worker's scheduled job) completes it.
export const historyJournal = sqliteTable(
	'history_journal',
	{
		id: text('id').primaryKey(), // the audit_log row's id in the city database
		tenantId: text('tenant_id')
			.notNull()
			.references(() => tenants.id, { onDelete: 'cascade' }),
		entry: text('entry', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		appliedAt: integer('applied_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('history_journal_pending_idx').on(t.appliedAt, t.tenantId)]
);

// A fleet job's pass over the cities, split across its scheduled invocations: each takes up to its
// limit of cities after `after` (a slug, in slug order) and moves it on; the pass of a period (a
// day) is complete when the last city is done, and the next period begins a new one.
export const fleetJobPasses = sqliteTable('fleet_job_passes', {
	job: text('job').primaryKey(), // 'drift', 'reminders'
	period: text('period').notNull(), // the Japanese day the pass belongs to, e.g. 2026-12-04
	after: text('after'), // the slug of the last city done; null before the first
	completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
});

export const taxonomyVersionStatuses = ['draft', 'published'] as const;

// A draft version is loaded beside the one in force; an operator publishes it, which moves every
// city's categorisation to it. published_at: the date it was published (a draft: when it was drafted).
export const taxonomyVersions = sqliteTable('taxonomy_versions', {
	version: integer('version').primaryKey(),
	publishedAt: text('published_at').notNull(),
	status: text('status', { enum: taxonomyVersionStatuses }).notNull().default('published')
});

/** What a category says in a version: its place in the tree, its names and definition. */
const categoryWords = () => ({
	version: integer('version')
		.notNull()
		.references(() => taxonomyVersions.version),
	parentCode: text('parent_code'),
	nameJa: text('name_ja').notNull(),
	nameEn: text('name_en').notNull(),
	definition: text('definition').notNull(),
	definitionEn: text('definition_en').notNull(),
	position: integer('position').notNull()
});

export const taxonomyCategories = sqliteTable(
	'taxonomy_categories',
	{ code: text('code').primaryKey(), ...categoryWords() },
	(t) => [index('taxonomy_parent_idx').on(t.parentCode)]
);

// Every version's complete list of categories, in its own words: a view of a version (a
// publication made under it) names and orders categories as that version did. taxonomy_categories
// above is the register of every code ever defined (a code is never reused), which indicators refer to.
export const taxonomyEntries = sqliteTable(
	'taxonomy_entries',
	{ code: text('code').notNull(), ...categoryWords() },
	(t) => [primaryKey({ columns: [t.version, t.code] })]
);

/** How a code of the previous version becomes codes of `version` (seeds/taxonomy-v1-to-v2.yaml). */
export interface TaxonomyMappingRule {
	/** Words in an initiative's title, description or records that choose this rule; none: the fallback. */
	when?: string[];
	to: string[];
	/** The city is asked to check the result. */
	review?: boolean;
}

// The declared mapping into a version from the one before it; a code not listed keeps its code.
export const taxonomyMappings = sqliteTable(
	'taxonomy_mappings',
	{
		version: integer('version')
			.notNull()
			.references(() => taxonomyVersions.version),
		fromCode: text('from_code').notNull(),
		rules: text('rules', { mode: 'json' }).$type<TaxonomyMappingRule[]>().notNull(),
		note: text('note'),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.version, t.fromCode] })]
);

export const indicatorDirections = ['higher', 'lower', 'neutral'] as const;
export const normalisations = ['absolute', 'per_10k_population', 'per_1k_population'] as const;
export const periodKinds = ['fiscal_year', 'calendar_year'] as const;

export const sharedIndicators = sqliteTable('shared_indicators', {
	code: text('code').primaryKey(),
	version: integer('version').notNull(),
	nameJa: text('name_ja').notNull(),
	nameEn: text('name_en').notNull(),
	unit: text('unit').notNull(),
	// Other spellings of the same unit that a mapped figure may carry (回/年 for a yearly 回).
	unitAliases: text('unit_aliases', { mode: 'json' }).$type<string[]>().notNull().default([]),
	// stock: 年度末時点の累計; flow: 年度中. Mapped figures must be of the same kind.
	stockFlow: text('stock_flow', { enum: ['stock', 'flow'] }),
	direction: text('direction', { enum: indicatorDirections }).notNull(),
	normalisation: text('normalisation', { enum: normalisations }).notNull(),
	periodKind: text('period_kind', { enum: periodKinds }).notNull(),
	categoryCode: text('category_code').references(() => taxonomyCategories.code),
	definition: text('definition').notNull(),
	position: integer('position').notNull()
});

export const coreSchema = {
	prefectures,
	municipalities,
	municipalityPopulations,
	populationImports,
	tenants,
	users,
	sessions,
	memberships,
	prefectureOfficials,
	loginThrottles,
	invitations,
	passwordResets,
	apiTokens,
	mailOutbox,
	historyJournal,
	taxonomyVersions,
	taxonomyCategories,
	taxonomyEntries,
	taxonomyMappings,
	sharedIndicators
	// benchmark tables: see benchmarks.ts (composed into the core schema in client.ts)
};
