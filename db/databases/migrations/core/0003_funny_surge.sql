CREATE TABLE `taxonomy_entries` (
	`version` integer NOT NULL,
	`code` text NOT NULL,
	`parent_code` text,
	`name_ja` text NOT NULL,
	`name_en` text NOT NULL,
	`definition` text NOT NULL,
	`definition_en` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`version`, `code`),
	FOREIGN KEY (`version`) REFERENCES `taxonomy_versions`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `taxonomy_mappings` (
	`version` integer NOT NULL,
	`from_code` text NOT NULL,
	`rules` text NOT NULL,
	`note` text,
	`position` integer NOT NULL,
	PRIMARY KEY(`version`, `from_code`),
	FOREIGN KEY (`version`) REFERENCES `taxonomy_versions`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `taxonomy_versions` ADD `status` text DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_facts` ADD `taxonomy_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_publications` ADD `taxonomy_version` integer DEFAULT 1 NOT NULL;