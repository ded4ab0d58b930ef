CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`initiative_id` text NOT NULL,
	`task_id` text,
	`body` text NOT NULL,
	`kind` text DEFAULT 'comment' NOT NULL,
	`mentions` text,
	`actor_id` text,
	`actor_email` text,
	`actor_role` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `round_tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comments_initiative_idx` ON `comments` (`initiative_id`,`at`);--> statement-breakpoint
CREATE INDEX `comments_task_idx` ON `comments` (`task_id`,`at`);--> statement-breakpoint
CREATE TABLE `reporting_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`fiscal_year` integer NOT NULL,
	`deadline` text NOT NULL,
	`reminder_lead_days` integer DEFAULT 7 NOT NULL,
	`progress_labels` text,
	`state` text DEFAULT 'open' NOT NULL,
	`opened_by` text,
	`closed_at` integer,
	`closed_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reporting_rounds_fiscal_year_unique` ON `reporting_rounds` (`fiscal_year`);--> statement-breakpoint
CREATE TABLE `round_reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`department_id` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	`open_tasks` integer NOT NULL,
	`recipients` text NOT NULL,
	`error` text,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `reporting_rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_reminders_once_idx` ON `round_reminders` (`round_id`,`department_id`,`day`);--> statement-breakpoint
CREATE TABLE `round_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`initiative_id` text NOT NULL,
	`department_id` text,
	`state` text DEFAULT 'open' NOT NULL,
	`actual_text` text,
	`actual_metrics` text,
	`plan_text` text,
	`plan_metrics` text,
	`progress` text,
	`saved_by` text,
	`submitted_at` integer,
	`submitted_by` text,
	`reviewed_at` integer,
	`reviewed_by` text,
	`actual_record_id` text,
	`plan_record_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `reporting_rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_tasks_round_idx` ON `round_tasks` (`round_id`,`department_id`,`state`);--> statement-breakpoint
CREATE INDEX `round_tasks_initiative_idx` ON `round_tasks` (`initiative_id`);--> statement-breakpoint
ALTER TABLE `yearly_records` ADD `progress` text;--> statement-breakpoint
ALTER TABLE `yearly_records` ADD `round_id` text;--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS reporting_rounds_version_guard BEFORE UPDATE ON reporting_rounds
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS round_tasks_version_guard BEFORE UPDATE ON round_tasks
FOR EACH ROW WHEN NEW.version IS NOT OLD.version + 1
BEGIN
	SELECT RAISE(ABORT, 'version_conflict');
END;
--> statement-breakpoint
-- A closed round locks its year: the year's records (all but plans for later years) and every
-- record its approvals wrote, with their figures. Whatever path a write takes (a form, the API, a
-- script), the database refuses it; the services word the refusal (error_year_locked).
CREATE TRIGGER IF NOT EXISTS yearly_records_locked_insert BEFORE INSERT ON yearly_records
FOR EACH ROW WHEN EXISTS (
	SELECT 1 FROM reporting_rounds r WHERE r.state = 'closed'
	AND ((r.fiscal_year = NEW.fiscal_year AND NEW.phase <> 'plan') OR r.id = NEW.round_id)
)
BEGIN
	SELECT RAISE(ABORT, 'round_closed');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS yearly_records_locked_update BEFORE UPDATE ON yearly_records
FOR EACH ROW WHEN EXISTS (
	SELECT 1 FROM reporting_rounds r WHERE r.state = 'closed'
	AND ((r.fiscal_year = OLD.fiscal_year AND OLD.phase <> 'plan') OR (r.fiscal_year = NEW.fiscal_year AND NEW.phase <> 'plan')
		OR r.id = OLD.round_id OR r.id = NEW.round_id)
)
BEGIN
	SELECT RAISE(ABORT, 'round_closed');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS metrics_locked_insert BEFORE INSERT ON metrics
FOR EACH ROW WHEN EXISTS (
	SELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'
	AND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)
	WHERE y.id = NEW.record_id
)
BEGIN
	SELECT RAISE(ABORT, 'round_closed');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS metrics_locked_update BEFORE UPDATE ON metrics
FOR EACH ROW WHEN EXISTS (
	SELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'
	AND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)
	WHERE y.id IN (OLD.record_id, NEW.record_id)
)
BEGIN
	SELECT RAISE(ABORT, 'round_closed');
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS metrics_locked_delete BEFORE DELETE ON metrics
FOR EACH ROW WHEN EXISTS (
	SELECT 1 FROM yearly_records y JOIN reporting_rounds r ON r.state = 'closed'
	AND ((r.fiscal_year = y.fiscal_year AND y.phase <> 'plan') OR r.id = y.round_id)
	WHERE y.id = OLD.record_id
)
BEGIN
	SELECT RAISE(ABORT, 'round_closed');
END;
