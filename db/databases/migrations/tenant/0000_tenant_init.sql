CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `departments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_name_unique` ON `departments` (`name`);--> statement-breakpoint
CREATE TABLE `indicator_values` (
	`id` text PRIMARY KEY NOT NULL,
	`indicator_id` text NOT NULL,
	`period_kind` text NOT NULL,
	`period_year` integer NOT NULL,
	`value` real NOT NULL,
	`status` text DEFAULT 'final' NOT NULL,
	`note` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`indicator_id`) REFERENCES `indicators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `indicator_values_indicator_idx` ON `indicator_values` (`indicator_id`,`period_year`);--> statement-breakpoint
CREATE TABLE `indicators` (
	`id` text PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	`name` text NOT NULL,
	`unit` text NOT NULL,
	`direction` text NOT NULL,
	`shared_indicator_code` text,
	`baseline_value` real,
	`baseline_text` text,
	`baseline_period_kind` text,
	`baseline_year` integer,
	`baseline_status` text,
	`baseline_note` text,
	`target_value` real,
	`target_text` text,
	`target_period_kind` text,
	`target_year` integer,
	`target_note` text,
	`position` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`node_id`) REFERENCES `plan_nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `indicators_node_idx` ON `indicators` (`node_id`,`position`);--> statement-breakpoint
CREATE TABLE `initiative_categories` (
	`initiative_id` text NOT NULL,
	`category_code` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`initiative_id`, `category_code`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `initiative_departments` (
	`initiative_id` text NOT NULL,
	`department_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`initiative_id`, `department_id`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `initiatives` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`node_id` text NOT NULL,
	`code` text,
	`title` text NOT NULL,
	`description` text,
	`plan_ref` text,
	`department_note` text,
	`position` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`node_id`) REFERENCES `plan_nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiatives_node_idx` ON `initiatives` (`node_id`,`position`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`label` text NOT NULL,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`indicator_code` text,
	`period_kind` text NOT NULL,
	`period_year` integer NOT NULL,
	`status` text DEFAULT 'final' NOT NULL,
	`approximate` integer DEFAULT false NOT NULL,
	`cumulative` integer DEFAULT false NOT NULL,
	`note` text,
	`position` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`record_id`) REFERENCES `yearly_records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metrics_record_idx` ON `metrics` (`record_id`);--> statement-breakpoint
CREATE TABLE `plan_nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`parent_id` text,
	`code` text,
	`title` text NOT NULL,
	`subtitle` text,
	`summary` text,
	`current_state` text,
	`related_plans` text,
	`notes` text,
	`position` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plan_nodes_parent_idx` ON `plan_nodes` (`plan_id`,`parent_id`,`position`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`source_document` text,
	`period_start` integer,
	`period_end` integer,
	`level_labels` text NOT NULL,
	`initiative_label` text NOT NULL,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `yearly_records` (
	`id` text PRIMARY KEY NOT NULL,
	`initiative_id` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`phase` text NOT NULL,
	`department_id` text,
	`text` text NOT NULL,
	`position` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `yearly_records_initiative_idx` ON `yearly_records` (`initiative_id`,`fiscal_year`);