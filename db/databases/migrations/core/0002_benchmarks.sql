CREATE TABLE `benchmark_publications` (
	`tenant_id` text NOT NULL,
	`prefecture_code` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text,
	`published_by_name` text NOT NULL,
	`fact_count` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `fiscal_year`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`prefecture_code`) REFERENCES `prefectures`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publications_prefecture_idx` ON `benchmark_publications` (`prefecture_code`,`fiscal_year`);--> statement-breakpoint
ALTER TABLE `benchmark_facts` ADD `kind` text DEFAULT 'indicator' NOT NULL;--> statement-breakpoint
ALTER TABLE `benchmark_facts` ADD `target_year` integer;--> statement-breakpoint
ALTER TABLE `benchmark_facts` ADD `detail` text;