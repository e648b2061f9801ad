CREATE TABLE `escalation_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`escalation_id` integer NOT NULL,
	`level` integer NOT NULL,
	`loop` integer NOT NULL,
	`targets` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`timeout_at` integer,
	`channel_ts` text,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalation_steps_position_unique` ON `escalation_steps` (`escalation_id`,`loop`,`level`);--> statement-breakpoint
CREATE TABLE `escalations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`policy_id` text,
	`service_id` text,
	`policy` text NOT NULL,
	`status` text NOT NULL,
	`level` integer DEFAULT 0 NOT NULL,
	`loop` integer DEFAULT 0 NOT NULL,
	`next_job_key` text,
	`started_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	`exhausted_at` integer,
	`alert_ts` text,
	`announcement_alert_ts` text,
	`revision` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `escalations_incident_idx` ON `escalations` (`incident_id`);--> statement-breakpoint
CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`escalation_id` integer NOT NULL,
	`step_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`via` text NOT NULL,
	`status` text NOT NULL,
	`paged_at` integer NOT NULL,
	`acknowledged_at` integer,
	`dm_channel` text,
	`dm_ts` text,
	`delivery_error` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`step_id`) REFERENCES `escalation_steps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_step_user_unique` ON `pages` (`step_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `pages_incident_user_idx` ON `pages` (`incident_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `rota_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`schedule_id` text NOT NULL,
	`user_id` text NOT NULL,
	`from_at` integer NOT NULL,
	`to_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_by` text,
	`removed_at` integer
);
--> statement-breakpoint
CREATE INDEX `rota_overrides_schedule_to_idx` ON `rota_overrides` (`schedule_id`,`to_at`);--> statement-breakpoint
CREATE TABLE `rota_snapshots` (
	`schedule_id` text PRIMARY KEY NOT NULL,
	`stretches` text NOT NULL,
	`taken_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `incidents` ADD `acknowledged_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `acknowledged_by` text;