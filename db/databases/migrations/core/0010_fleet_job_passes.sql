CREATE TABLE `fleet_job_passes` (
	`job` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`after` text,
	`completed_at` integer,
	`updated_at` integer NOT NULL
);
