ALTER TABLE `shared_indicators` ADD `unit_aliases` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `shared_indicators` ADD `stock_flow` text;