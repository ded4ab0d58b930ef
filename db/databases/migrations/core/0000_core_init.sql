CREATE TABLE `benchmark_facts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`municipality_code` text NOT NULL,
	`prefecture_code` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`indicator_code` text,
	`category_code` text,
	`value` real NOT NULL,
	`period_kind` text NOT NULL,
	`period_year` integer NOT NULL,
	`target_value` real,
	`baseline_value` real,
	`source_id` text,
	`published_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `facts_prefecture_year_idx` ON `benchmark_facts` (`prefecture_code`,`fiscal_year`,`indicator_code`);--> statement-breakpoint
CREATE INDEX `facts_tenant_year_idx` ON `benchmark_facts` (`tenant_id`,`fiscal_year`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`user_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`role` text NOT NULL,
	`department_ids` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `tenant_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `municipalities` (
	`code` text PRIMARY KEY NOT NULL,
	`prefecture_code` text NOT NULL,
	`name` text NOT NULL,
	`kana` text NOT NULL,
	`url` text,
	`population` integer,
	`population_date` text,
	`population_kind` text,
	`population_source` text,
	FOREIGN KEY (`prefecture_code`) REFERENCES `prefectures`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `municipalities_prefecture_idx` ON `municipalities` (`prefecture_code`);--> statement-breakpoint
CREATE TABLE `prefecture_officials` (
	`user_id` text NOT NULL,
	`prefecture_code` text NOT NULL,
	PRIMARY KEY(`user_id`, `prefecture_code`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`prefecture_code`) REFERENCES `prefectures`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `prefectures` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kana` text NOT NULL,
	`short_name` text NOT NULL,
	`name_en` text NOT NULL,
	`iso3166_2` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_verified_at` integer NOT NULL,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `shared_indicators` (
	`code` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`name_ja` text NOT NULL,
	`name_en` text NOT NULL,
	`unit` text NOT NULL,
	`direction` text NOT NULL,
	`normalisation` text NOT NULL,
	`period_kind` text NOT NULL,
	`category_code` text,
	`definition` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`category_code`) REFERENCES `taxonomy_categories`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `taxonomy_categories` (
	`code` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`parent_code` text,
	`name_ja` text NOT NULL,
	`name_en` text NOT NULL,
	`definition` text NOT NULL,
	`definition_en` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`version`) REFERENCES `taxonomy_versions`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `taxonomy_parent_idx` ON `taxonomy_categories` (`parent_code`);--> statement-breakpoint
CREATE TABLE `taxonomy_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`published_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`municipality_code` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`database_name` text NOT NULL,
	`database_url` text NOT NULL,
	`schema_version` text,
	`migrated_at` integer,
	`migration_error` text,
	`share_name` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`municipality_code`) REFERENCES `municipalities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_slug_unique` ON `tenants` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_municipality_code_unique` ON `tenants` (`municipality_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_database_name_unique` ON `tenants` (`database_name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text,
	`is_operator` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);