CREATE TABLE `postmortems` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`form` text NOT NULL,
	`state` text NOT NULL,
	`root_cause` text DEFAULT '' NOT NULL,
	`whys` text DEFAULT '' NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`document` text,
	`file_id` text,
	`file_revision` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `problem_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`problem_id` integer NOT NULL,
	`position` integer NOT NULL,
	`what` text NOT NULL,
	`owner_id` text NOT NULL,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`done_by` text,
	`done_at` integer,
	FOREIGN KEY (`problem_id`) REFERENCES `problems`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `problem_actions_position_unique` ON `problem_actions` (`problem_id`,`position`);--> statement-breakpoint
CREATE TABLE `problem_recurrences` (
	`problem_id` integer NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`problem_id`, `incident_id`),
	FOREIGN KEY (`problem_id`) REFERENCES `problems`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`owner_id` text NOT NULL,
	`priority` text NOT NULL,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`resolution` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`resolved_by` text,
	`resolved_at` integer,
	`revision` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `problems_owner_status_idx` ON `problems` (`owner_id`,`status`);--> statement-breakpoint
CREATE INDEX `problems_incident_idx` ON `problems` (`incident_id`);--> statement-breakpoint
CREATE INDEX `problems_status_idx` ON `problems` (`status`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`problem_id` integer NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
