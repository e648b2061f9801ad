CREATE TABLE `home_visitors` (
	`user_id` text PRIMARY KEY NOT NULL,
	`opened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `slack_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `incidents` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `last_update_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `last_reminded_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `timeline_events_source_idx` ON `timeline_events` (`source_channel_id`,`source_ts`);