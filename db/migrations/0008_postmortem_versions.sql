ALTER TABLE `postmortems` ADD `complete_form` text;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `complete_revision` integer;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `completed_by` text;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `completed_at` integer;