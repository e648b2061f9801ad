-- A note or captured message added after the first hundred cannot enter the bounded notes index (updates and
-- the resolution come first, then entries in order), so re-indexing the incident for it changed nothing and
-- cost a re-tokenisation of a hundred notes per insert. The insert trigger now skips it; updates and the
-- resolution, and entries within the first hundred, re-index as before. An entry without text yet (a captured
-- message before its text is fetched) is indexed by the update trigger when the text arrives.
DROP TRIGGER `incident_search_notes_insert`;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_insert` AFTER INSERT ON `timeline_events`
WHEN new.text IS NOT NULL AND new.deleted_at IS NULL AND (
  new.kind IN ('update', 'resolved')
  OR (new.kind IN ('note', 'message') AND (
    SELECT count(*) FROM (
      SELECT 1 FROM timeline_events
      WHERE incident_id = new.incident_id AND id <> new.id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
      LIMIT 100
    )
  ) < 100)
) BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM (
      SELECT text FROM timeline_events
      WHERE incident_id = new.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
      ORDER BY kind IN ('resolved', 'update') DESC, id
      LIMIT 100
    )
  ) WHERE rowid = new.incident_id;
END;
