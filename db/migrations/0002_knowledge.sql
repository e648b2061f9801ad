CREATE TABLE `incident_runbooks` (
	`incident_id` integer NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`rank` integer NOT NULL,
	`linked_by` text,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `slug`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `incident_similar` (
	`incident_id` integer NOT NULL,
	`similar_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`score` real NOT NULL,
	`matched` text NOT NULL,
	`found_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `similar_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`similar_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `incident_suggestions` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`suggested_at` integer NOT NULL,
	`message_ts` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runbooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`path` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`services` text NOT NULL,
	`tags` text NOT NULL,
	`alerts` text NOT NULL,
	`owner` text,
	`last_reviewed` text,
	`body` text NOT NULL,
	`headings` text NOT NULL,
	`content_hash` text NOT NULL,
	`indexed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runbooks_slug_unique` ON `runbooks` (`slug`);