// The core database: what all cities share, and who may see which city.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
		population: integer('population'),
		populationDate: text('population_date'), // ISO date the figure refers to
		populationKind: text('population_kind'), // 住民基本台帳人口, 推計人口, 国勢調査…
		populationSource: text('population_source')
	},
	(t) => [index('municipalities_prefecture_idx').on(t.prefectureCode)]
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
	createdAt: createdAt()
});

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

export const taxonomyVersions = sqliteTable('taxonomy_versions', {
	version: integer('version').primaryKey(),
	publishedAt: text('published_at').notNull()
});

export const taxonomyCategories = sqliteTable(
	'taxonomy_categories',
	{
		code: text('code').primaryKey(),
		version: integer('version')
			.notNull()
			.references(() => taxonomyVersions.version),
		parentCode: text('parent_code'),
		nameJa: text('name_ja').notNull(),
		nameEn: text('name_en').notNull(),
		definition: text('definition').notNull(),
		definitionEn: text('definition_en').notNull(),
		position: integer('position').notNull()
	},
	(t) => [index('taxonomy_parent_idx').on(t.parentCode)]
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
	tenants,
	users,
	sessions,
	memberships,
	prefectureOfficials,
	loginThrottles,
	invitations,
	passwordResets,
	mailOutbox,
	taxonomyVersions,
	taxonomyCategories,
	sharedIndicators
	// benchmark tables: see benchmarks.ts (composed into the core schema in client.ts)
};
