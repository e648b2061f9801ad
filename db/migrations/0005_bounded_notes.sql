-- The written words of a long incident are indexed within a bound: the resolution and status updates, then the
-- first 100 notes and captured messages. Re-indexing every word on every new note made each insert cost as
-- much as the whole timeline (a 5,000-entry incident blocked the process for minutes); the first hundred
-- entries and the updates carry what similar-incident search needs. Hand-written: drizzle-kit cannot describe
-- triggers.
DROP TRIGGER `incident_search_notes_insert`;
--> statement-breakpoint
DROP TRIGGER `incident_search_notes_update`;
--> statement-breakpoint
DROP TRIGGER `incident_search_notes_delete`;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_insert` AFTER INSERT ON `timeline_events`
WHEN new.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM (
      SELECT text FROM timeline_events
      WHERE incident_id = new.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
      ORDER BY kind IN ('resolved', 'update') DESC, id
      LIMIT 100
    )
  ) WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_update` AFTER UPDATE OF kind, text, deleted_at ON `timeline_events`
WHEN new.kind IN ('note', 'message', 'update', 'resolved') OR old.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM (
      SELECT text FROM timeline_events
      WHERE incident_id = new.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
      ORDER BY kind IN ('resolved', 'update') DESC, id
      LIMIT 100
    )
  ) WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_delete` AFTER DELETE ON `timeline_events`
WHEN old.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM (
      SELECT text FROM timeline_events
      WHERE incident_id = old.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
      ORDER BY kind IN ('resolved', 'update') DESC, id
      LIMIT 100
    )
  ) WHERE rowid = old.incident_id;
END;
