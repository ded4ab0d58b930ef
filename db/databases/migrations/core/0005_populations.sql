CREATE TABLE `municipality_populations` (
	`municipality_code` text NOT NULL,
	`reference_date` text NOT NULL,
	`population` integer NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`note` text,
	`import_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`municipality_code`, `reference_date`),
	FOREIGN KEY (`municipality_code`) REFERENCES `municipalities`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "municipality_populations_population_check" CHECK("municipality_populations"."population" >= 0)
);
--> statement-breakpoint
CREATE TABLE `population_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`file_name` text NOT NULL,
	`reference_date` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`rows` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`imported_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `population_imports_expires_idx` ON `population_imports` (`expires_at`);