-- A post-mortem's root cause and five whys feed the similar-incident index (incident_search, migration 0003),
-- so the next incident that looks like this one shows how it ended. Hand-written: drizzle-kit cannot describe
-- triggers.
CREATE TRIGGER `incident_search_postmortem_insert` AFTER INSERT ON `postmortems` BEGIN
  UPDATE incident_search SET root_cause = new.root_cause, whys = new.whys WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_postmortem_update` AFTER UPDATE OF root_cause, whys ON `postmortems` BEGIN
  UPDATE incident_search SET root_cause = new.root_cause, whys = new.whys WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_postmortem_delete` AFTER DELETE ON `postmortems` BEGIN
  UPDATE incident_search SET root_cause = '', whys = '' WHERE rowid = old.incident_id;
END;
