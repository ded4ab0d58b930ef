ALTER TABLE `indicators` ADD `stock_flow` text;--> statement-breakpoint
ALTER TABLE `metrics` ADD `stock_flow` text;--> statement-breakpoint
ALTER TABLE `plan_nodes` ADD `record_columns` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `record_columns` text;