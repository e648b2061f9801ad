CREATE TABLE `alert_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`integration_id` text NOT NULL,
	`group_key` text NOT NULL,
	`service_id` text,
	`urgency` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`firing_since` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	`resolved_by` text,
	`resolved_at` integer,
	`incident_id` integer,
	`folded` integer DEFAULT 0 NOT NULL,
	`channel_id` text,
	`channel_ts` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_groups_open_key_unique` ON `alert_groups` (`integration_id`,`group_key`) WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX `alert_groups_status_idx` ON `alert_groups` (`status`);--> statement-breakpoint
CREATE INDEX `alert_groups_service_opened_idx` ON `alert_groups` (`service_id`,`opened_at`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`summary` text NOT NULL,
	`description` text,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`source_url` text,
	`runbook_url` text,
	`dashboard_url` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`first_received_at` integer NOT NULL,
	`last_received_at` integer NOT NULL,
	`times_received` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `alert_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_group_fingerprint_unique` ON `alerts` (`group_id`,`fingerprint`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_escalations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer,
	`alert_group_id` integer,
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
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`alert_group_id`) REFERENCES `alert_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "escalations_subject_check" CHECK((incident_id is null) <> (alert_group_id is null))
);
--> statement-breakpoint
INSERT INTO `__new_escalations`("id", "incident_id", "alert_group_id", "policy_id", "service_id", "policy", "status", "level", "loop", "next_job_key", "started_by", "started_at", "acknowledged_by", "acknowledged_at", "exhausted_at", "alert_ts", "announcement_alert_ts", "revision") SELECT "id", "incident_id", NULL, "policy_id", "service_id", "policy", "status", "level", "loop", "next_job_key", "started_by", "started_at", "acknowledged_by", "acknowledged_at", "exhausted_at", "alert_ts", "announcement_alert_ts", "revision" FROM `escalations`;--> statement-breakpoint
DROP TABLE `escalations`;--> statement-breakpoint
ALTER TABLE `__new_escalations` RENAME TO `escalations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `escalations_incident_idx` ON `escalations` (`incident_id`);--> statement-breakpoint
CREATE INDEX `escalations_alert_group_idx` ON `escalations` (`alert_group_id`);--> statement-breakpoint
CREATE TABLE `__new_pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer,
	`alert_group_id` integer,
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
	FOREIGN KEY (`alert_group_id`) REFERENCES `alert_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`step_id`) REFERENCES `escalation_steps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_pages`("id", "incident_id", "alert_group_id", "escalation_id", "step_id", "user_id", "via", "status", "paged_at", "acknowledged_at", "dm_channel", "dm_ts", "delivery_error") SELECT "id", "incident_id", NULL, "escalation_id", "step_id", "user_id", "via", "status", "paged_at", "acknowledged_at", "dm_channel", "dm_ts", "delivery_error" FROM `pages`;--> statement-breakpoint
DROP TABLE `pages`;--> statement-breakpoint
ALTER TABLE `__new_pages` RENAME TO `pages`;--> statement-breakpoint
CREATE UNIQUE INDEX `pages_step_user_unique` ON `pages` (`step_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `pages_incident_user_idx` ON `pages` (`incident_id`,`user_id`);