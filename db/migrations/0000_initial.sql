CREATE TABLE `incident_roles` (
	`incident_id` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `role`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`service_id` text,
	`is_private` integer DEFAULT false NOT NULL,
	`is_drill` integer DEFAULT false NOT NULL,
	`declared_by` text NOT NULL,
	`declared_at` integer NOT NULL,
	`impact_started_at` integer,
	`impact_ended_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`channel_id` text,
	`channel_name` text,
	`summary_ts` text,
	`announcement_channel_id` text,
	`announcement_ts` text,
	`provisioning` text DEFAULT 'pending' NOT NULL,
	`provisioning_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_channel_id_unique` ON `incidents` (`channel_id`);--> statement-breakpoint
CREATE INDEX `incidents_status_idx` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`due_at` integer NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`claim_token` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_key_unique` ON `jobs` (`key`);--> statement-breakpoint
CREATE INDEX `jobs_pending_due_idx` ON `jobs` (`due_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `jobs_running_lease_idx` ON `jobs` (`lease_until`) WHERE status = 'running';--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`method` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`result` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "outbox_status_check" CHECK(status in ('sending','sent','failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key_unique` ON `outbox` (`key`);--> statement-breakpoint
CREATE TABLE `timeline_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`text` text,
	`data` text,
	`key` text,
	`source_channel_id` text,
	`source_ts` text,
	`permalink` text,
	`recorded_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timeline_events_key_unique` ON `timeline_events` (`key`);--> statement-breakpoint
CREATE INDEX `timeline_events_incident_at_idx` ON `timeline_events` (`incident_id`,`at`);