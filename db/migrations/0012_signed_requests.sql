CREATE TABLE `slack_requests` (
	`signature` text PRIMARY KEY NOT NULL,
	`signed_at` integer NOT NULL
);
