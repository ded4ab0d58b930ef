CREATE TABLE `taxonomy_adoptions` (
	`version` integer PRIMARY KEY NOT NULL,
	`adopted_at` integer NOT NULL,
	`actor_name` text,
	`changed` integer NOT NULL,
	`flagged` integer NOT NULL
);
