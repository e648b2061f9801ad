CREATE TABLE "heartbeats" (
	"integration_id" text PRIMARY KEY NOT NULL,
	"last_heartbeat_at" bigint,
	"deadline_from" bigint NOT NULL,
	"deadline_at" bigint NOT NULL,
	"missed_group_id" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_missed_group_id_alert_groups_id_fk" FOREIGN KEY ("missed_group_id") REFERENCES "public"."alert_groups"("id") ON DELETE set null ON UPDATE no action;