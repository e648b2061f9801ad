CREATE TABLE `heartbeats` (
	`integration_id` text PRIMARY KEY NOT NULL,
	`last_heartbeat_at` integer,
	`deadline_from` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`missed_group_id` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`missed_group_id`) REFERENCES `alert_groups`(`id`) ON UPDATE no action ON DELETE set null
);
