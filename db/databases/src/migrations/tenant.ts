// Generated from db/databases/migrations/tenant by `npm run db:bundle`: do not edit. A test checks it matches the folder.
import type { BundledMigration } from './apply.ts';

export const tenantMigrations: BundledMigration[] = [
	{
		tag: '0000_tenant_init',
		folderMillis: 1795386184835,
		hash: '2613e4c572c169acb2c1c47e73a98cc11568c452bc4d59b16cbb50b38fbfad5f',
		sql: [
			'CREATE TABLE `audit_log` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`at` integer NOT NULL,\n\t`actor_id` text,\n\t`actor_name` text,\n\t`entity` text NOT NULL,\n\t`entity_id` text NOT NULL,\n\t`action` text NOT NULL,\n\t`before` text,\n\t`after` text\n);\n',
			'\nCREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`,`at`);',
			'\nCREATE INDEX `audit_at_idx` ON `audit_log` (`at`);',
			"\nCREATE TABLE `departments` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL,\n\t`parent_id` text,\n\t`position` integer DEFAULT 0 NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL\n);\n",
			'\nCREATE UNIQUE INDEX `departments_name_unique` ON `departments` (`name`);',
			"\nCREATE TABLE `indicator_values` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`indicator_id` text NOT NULL,\n\t`period_kind` text NOT NULL,\n\t`period_year` integer NOT NULL,\n\t`value` real NOT NULL,\n\t`status` text DEFAULT 'final' NOT NULL,\n\t`note` text,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`indicator_id`) REFERENCES `indicators`(`id`) ON UPDATE no action ON DELETE cascade\n);\n",
			'\nCREATE INDEX `indicator_values_indicator_idx` ON `indicator_values` (`indicator_id`,`period_year`);',
			"\nCREATE TABLE `indicators` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`node_id` text NOT NULL,\n\t`name` text NOT NULL,\n\t`unit` text NOT NULL,\n\t`direction` text NOT NULL,\n\t`shared_indicator_code` text,\n\t`baseline_value` real,\n\t`baseline_text` text,\n\t`baseline_period_kind` text,\n\t`baseline_year` integer,\n\t`baseline_status` text,\n\t`baseline_note` text,\n\t`target_value` real,\n\t`target_text` text,\n\t`target_period_kind` text,\n\t`target_year` integer,\n\t`target_note` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`node_id`) REFERENCES `plan_nodes`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `indicators_node_idx` ON `indicators` (`node_id`,`position`);',
			'\nCREATE TABLE `initiative_categories` (\n\t`initiative_id` text NOT NULL,\n\t`category_code` text NOT NULL,\n\t`position` integer NOT NULL,\n\tPRIMARY KEY(`initiative_id`, `category_code`),\n\tFOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade\n);\n',
			'\nCREATE TABLE `initiative_departments` (\n\t`initiative_id` text NOT NULL,\n\t`department_id` text NOT NULL,\n\t`position` integer NOT NULL,\n\tPRIMARY KEY(`initiative_id`, `department_id`),\n\tFOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,\n\tFOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action\n);\n',
			"\nCREATE TABLE `initiatives` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`plan_id` text NOT NULL,\n\t`node_id` text NOT NULL,\n\t`code` text,\n\t`title` text NOT NULL,\n\t`description` text,\n\t`plan_ref` text,\n\t`department_note` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,\n\tFOREIGN KEY (`node_id`) REFERENCES `plan_nodes`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `initiatives_node_idx` ON `initiatives` (`node_id`,`position`);',
			"\nCREATE TABLE `metrics` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`record_id` text NOT NULL,\n\t`label` text NOT NULL,\n\t`value` real NOT NULL,\n\t`unit` text NOT NULL,\n\t`indicator_code` text,\n\t`period_kind` text NOT NULL,\n\t`period_year` integer NOT NULL,\n\t`status` text DEFAULT 'final' NOT NULL,\n\t`approximate` integer DEFAULT false NOT NULL,\n\t`cumulative` integer DEFAULT false NOT NULL,\n\t`note` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`record_id`) REFERENCES `yearly_records`(`id`) ON UPDATE no action ON DELETE cascade\n);\n",
			'\nCREATE INDEX `metrics_record_idx` ON `metrics` (`record_id`);',
			"\nCREATE TABLE `plan_nodes` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`plan_id` text NOT NULL,\n\t`parent_id` text,\n\t`code` text,\n\t`title` text NOT NULL,\n\t`subtitle` text,\n\t`summary` text,\n\t`current_state` text,\n\t`related_plans` text,\n\t`notes` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `plan_nodes_parent_idx` ON `plan_nodes` (`plan_id`,`parent_id`,`position`);',
			"\nCREATE TABLE `plans` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`title` text NOT NULL,\n\t`kind` text NOT NULL,\n\t`source_document` text,\n\t`period_start` integer,\n\t`period_end` integer,\n\t`level_labels` text NOT NULL,\n\t`initiative_label` text NOT NULL,\n\t`notes` text,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL\n);\n",
			"\nCREATE TABLE `yearly_records` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`initiative_id` text NOT NULL,\n\t`fiscal_year` integer NOT NULL,\n\t`phase` text NOT NULL,\n\t`department_id` text,\n\t`text` text NOT NULL,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,\n\tFOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `yearly_records_initiative_idx` ON `yearly_records` (`initiative_id`,`fiscal_year`);'
		]
	},
	{
		tag: '0001_version_guards',
		folderMillis: 1795387640510,
		hash: 'ca5d8c9680b5ef5756da5db5725f4f6eb6818d3569f0f8b36fbc3eab4f82209d',
		sql: [
			"-- Optimistic concurrency enforced by the database: every update of a versioned row must move\n-- its version from N to N+1. A write based on a stale version (N already moved on) aborts the\n-- whole batch, so nothing of a stale save is written. Services set version = <read version> + 1.\nCREATE TRIGGER IF NOT EXISTS plans_version_guard BEFORE UPDATE ON plans\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS departments_version_guard BEFORE UPDATE ON departments\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS plan_nodes_version_guard BEFORE UPDATE ON plan_nodes\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS initiatives_version_guard BEFORE UPDATE ON initiatives\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS yearly_records_version_guard BEFORE UPDATE ON yearly_records\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS metrics_version_guard BEFORE UPDATE ON metrics\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS indicators_version_guard BEFORE UPDATE ON indicators\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS indicator_values_version_guard BEFORE UPDATE ON indicator_values\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n"
		]
	},
	{
		tag: '0002_late_the_anarchist',
		folderMillis: 1796184254362,
		hash: 'a99763b77ee91fc53661593bf3928fab7570ca3987587c452f0775f59dbb4b31',
		sql: [
			'CREATE TABLE `taxonomy_adoptions` (\n\t`version` integer PRIMARY KEY NOT NULL,\n\t`adopted_at` integer NOT NULL,\n\t`actor_name` text,\n\t`changed` integer NOT NULL,\n\t`flagged` integer NOT NULL\n);\n'
		]
	},
	{
		tag: '0003_orange_piledriver',
		folderMillis: 1796188843595,
		hash: '45687ee316c0af39f5c588281366559fdc11af4113b6633aa90e1e52ff6eb664',
		sql: [
			'ALTER TABLE `indicators` ADD `stock_flow` text;',
			'\nALTER TABLE `metrics` ADD `stock_flow` text;',
			'\nALTER TABLE `plan_nodes` ADD `record_columns` text;',
			'\nALTER TABLE `plans` ADD `record_columns` text;'
		]
	},
	{
		tag: '0004_node_statistics',
		folderMillis: 1796190039116,
		hash: '801d70a3d2d1b75a584c23af11df16f6b2804302094ee67b2811950bf88bca47',
		sql: [
			"CREATE TABLE `node_statistics` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`node_id` text NOT NULL,\n\t`label` text NOT NULL,\n\t`value` real NOT NULL,\n\t`unit` text NOT NULL,\n\t`period_kind` text NOT NULL,\n\t`period_year` integer NOT NULL,\n\t`status` text,\n\t`shared_indicator_code` text,\n\t`note` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`node_id`) REFERENCES `plan_nodes`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `node_statistics_node_idx` ON `node_statistics` (`node_id`,`position`);',
			"\nCREATE TABLE `plan_references` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`plan_id` text NOT NULL,\n\t`title` text NOT NULL,\n\t`period_start` integer,\n\t`period_end` integer,\n\t`section` text,\n\t`page` text,\n\t`position` integer NOT NULL,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`deleted_at` integer,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action\n);\n"
		]
	},
	{
		tag: '0005_statistics_version_guards',
		folderMillis: 1796190041056,
		hash: 'e9ac5e05688a364a721c66221d62a31b9fc1a5e7c218795fa128e8aff2451121',
		sql: [
			"-- The version guard of 0001_version_guards for the tables added in 0004: a write based on a stale\n-- version aborts its whole batch.\nCREATE TRIGGER IF NOT EXISTS node_statistics_version_guard BEFORE UPDATE ON node_statistics\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS plan_references_version_guard BEFORE UPDATE ON plan_references\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n"
		]
	},
	{
		tag: '0006_taxonomy_review',
		folderMillis: 1796195633109,
		hash: '50f675532e962396630ba0c9362c6c2a99153d11455a1d6b575738c4b05d396d',
		sql: ['ALTER TABLE `initiatives` ADD `taxonomy_review` text;']
	},
	{
		tag: '0007_audit_actor_account',
		folderMillis: 1796217464989,
		hash: '12b10a31b1bf1c52cdd522c3e20e48e793d173a7974e034b00cc45fb018b5152',
		sql: ['ALTER TABLE `audit_log` ADD `actor_email` text;', '\nALTER TABLE `audit_log` ADD `actor_role` text;']
	},
	{
		tag: '0008_reporting_rounds',
		folderMillis: 1796227269773,
		hash: 'fea1dba5078a19eb89f55038aa96f4f397545b6593f8b98fe488b73c7ae4f558',
		sql: [
			"CREATE TABLE `comments` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`initiative_id` text NOT NULL,\n\t`task_id` text,\n\t`body` text NOT NULL,\n\t`kind` text DEFAULT 'comment' NOT NULL,\n\t`mentions` text,\n\t`actor_id` text,\n\t`actor_email` text,\n\t`actor_role` text,\n\t`at` integer NOT NULL,\n\tFOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,\n\tFOREIGN KEY (`task_id`) REFERENCES `round_tasks`(`id`) ON UPDATE no action ON DELETE cascade\n);\n",
			'\nCREATE INDEX `comments_initiative_idx` ON `comments` (`initiative_id`,`at`);',
			'\nCREATE INDEX `comments_task_idx` ON `comments` (`task_id`,`at`);',
			"\nCREATE TABLE `reporting_rounds` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`fiscal_year` integer NOT NULL,\n\t`deadline` text NOT NULL,\n\t`reminder_lead_days` integer DEFAULT 7 NOT NULL,\n\t`progress_labels` text,\n\t`state` text DEFAULT 'open' NOT NULL,\n\t`opened_by` text,\n\t`closed_at` integer,\n\t`closed_by` text,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL\n);\n",
			'\nCREATE UNIQUE INDEX `reporting_rounds_fiscal_year_unique` ON `reporting_rounds` (`fiscal_year`);',
			'\nCREATE TABLE `round_reminders` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`round_id` text NOT NULL,\n\t`department_id` text NOT NULL,\n\t`kind` text NOT NULL,\n\t`day` text NOT NULL,\n\t`open_tasks` integer NOT NULL,\n\t`recipients` text NOT NULL,\n\t`error` text,\n\t`sent_at` integer NOT NULL,\n\tFOREIGN KEY (`round_id`) REFERENCES `reporting_rounds`(`id`) ON UPDATE no action ON DELETE cascade\n);\n',
			'\nCREATE UNIQUE INDEX `round_reminders_once_idx` ON `round_reminders` (`round_id`,`department_id`,`day`);',
			"\nCREATE TABLE `round_tasks` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`round_id` text NOT NULL,\n\t`initiative_id` text NOT NULL,\n\t`department_id` text,\n\t`state` text DEFAULT 'open' NOT NULL,\n\t`actual_text` text,\n\t`actual_metrics` text,\n\t`plan_text` text,\n\t`plan_metrics` text,\n\t`progress` text,\n\t`saved_by` text,\n\t`submitted_at` integer,\n\t`submitted_by` text,\n\t`reviewed_at` integer,\n\t`reviewed_by` text,\n\t`actual_record_id` text,\n\t`plan_record_id` text,\n\t`version` integer DEFAULT 1 NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\t`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,\n\tFOREIGN KEY (`round_id`) REFERENCES `reporting_rounds`(`id`) ON UPDATE no action ON DELETE cascade,\n\tFOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,\n\tFOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action\n);\n",
			'\nCREATE INDEX `round_tasks_round_idx` ON `round_tasks` (`round_id`,`department_id`,`state`);',
			'\nCREATE INDEX `round_tasks_initiative_idx` ON `round_tasks` (`initiative_id`);',
			'\nALTER TABLE `yearly_records` ADD `progress` text;',
			'\nALTER TABLE `yearly_records` ADD `round_id` text;',
			"\nCREATE TRIGGER IF NOT EXISTS reporting_rounds_version_guard BEFORE UPDATE ON reporting_rounds\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS round_tasks_version_guard BEFORE UPDATE ON round_tasks\nFOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1\nBEGIN\n\tSELECT RAISE(ABORT, 'version_conflict');\nEND;\n",
			"\n-- A closed round locks its year: the year's records (all but plans for later years) and every\n-- record its approvals wrote, with their figures. Whatever path a write takes (a form, the API, a\n-- script), the database refuses it; the services word the refusal (error_year_locked).\nCREATE TRIGGER IF NOT EXISTS yearly_records_locked_insert BEFORE INSERT ON yearly_records\nFOR EACH ROW WHEN EXISTS (\n\tSELECT 1 FROM reporting_rounds r WHERE r.state = 'closed'\n\tAND ((r.fiscal_year = NEW.fiscal_year AND NEW.phase <> 'plan') OR r.id = NEW.round_id)\n)\nBEGIN\n\tSELECT RAISE(ABORT, 'round_closed');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS yearly_records_locked_update BEFORE UPDATE ON yearly_records\nFOR EACH ROW WHEN EXISTS (\n\tSELECT 1 FROM reporting_rounds r WHERE r.state = 'closed'\n\tAND ((r.fiscal_year = OLD.fiscal_year AND OLD.phase <> 'plan') OR (r.fiscal_year = NEW.fiscal_year AND NEW.phase <> 'plan')\n\t\tOR r.id = OLD.round_id OR r.id = NEW.round_id)\n)\nBEGIN\n\tSELECT RAISE(ABORT, 'round_closed');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS metrics_locked_insert BEFORE INSERT ON metrics\nFOR EACH ROW WHEN EXISTS (\n\tSELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'\n\tAND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)\n\tWHERE y.id = NEW.record_id\n)\nBEGIN\n\tSELECT RAISE(ABORT, 'round_closed');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS metrics_locked_update BEFORE UPDATE ON metrics\nFOR EACH ROW WHEN EXISTS (\n\tSELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'\n\tAND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)\n\tWHERE y.id IN (OLD.record_id, NEW.record_id)\n)\nBEGIN\n\tSELECT RAISE(ABORT, 'round_closed');\nEND;\n",
			"\nCREATE TRIGGER IF NOT EXISTS metrics_locked_delete BEFORE DELETE ON metrics\nFOR EACH ROW WHEN EXISTS (\n\tSELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'\n\tAND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)\n\tWHERE y.id = OLD.record_id\n)\nBEGIN\n\tSELECT RAISE(ABORT, 'round_closed');\nEND;\n"
		]
	}
];
