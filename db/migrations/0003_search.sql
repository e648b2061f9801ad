-- Full-text search for runbooks and past incidents: FTS5 tables with Porter stemming over the unicode61
-- tokenizer (so "timeouts" finds "timeout"), ranked with bm25, and fts5vocab tables giving each term's document
-- count (knowledge/relevance.ts weighs query words by rarity with them).
-- drizzle-kit cannot describe virtual tables or triggers, hence this hand-written migration.

-- runbook_search: rowid = runbooks.id, written by the knowledge feature when it re-indexes RUNBOOKS_DIR.
CREATE VIRTUAL TABLE `runbook_search` USING fts5(title, alerts, tags, summary, headings, body, tokenize = 'porter unicode61');
--> statement-breakpoint
CREATE VIRTUAL TABLE `runbook_search_vocab` USING fts5vocab(runbook_search, 'row');
--> statement-breakpoint

-- incident_search: rowid = incidents.id, kept current by the triggers below whichever feature changes the
-- incident or its notes. `notes` gathers the timeline's written words (notes, captured messages, status updates,
-- resolution notes); root_cause and whys are filled from the post-mortem.
CREATE VIRTUAL TABLE `incident_search` USING fts5(title, summary, service, notes, root_cause, whys, tokenize = 'porter unicode61');
--> statement-breakpoint
CREATE VIRTUAL TABLE `incident_search_vocab` USING fts5vocab(incident_search, 'row');
--> statement-breakpoint
CREATE TRIGGER `incident_search_insert` AFTER INSERT ON `incidents` BEGIN
  INSERT INTO incident_search (rowid, title, summary, service, notes, root_cause, whys)
  VALUES (new.id, new.title, new.summary, coalesce(new.service_id, ''), '', '', '');
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_update` AFTER UPDATE OF title, summary, service_id ON `incidents` BEGIN
  UPDATE incident_search SET title = new.title, summary = new.summary, service = coalesce(new.service_id, '') WHERE rowid = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_delete` AFTER DELETE ON `incidents` BEGIN
  DELETE FROM incident_search WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_insert` AFTER INSERT ON `timeline_events`
WHEN new.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM timeline_events
    WHERE incident_id = new.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
  ) WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_update` AFTER UPDATE OF kind, text, deleted_at ON `timeline_events`
WHEN new.kind IN ('note', 'message', 'update', 'resolved') OR old.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM timeline_events
    WHERE incident_id = new.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
  ) WHERE rowid = new.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `incident_search_notes_delete` AFTER DELETE ON `timeline_events`
WHEN old.kind IN ('note', 'message', 'update', 'resolved') BEGIN
  UPDATE incident_search SET notes = (
    SELECT coalesce(group_concat(text, char(10)), '') FROM timeline_events
    WHERE incident_id = old.incident_id AND kind IN ('note', 'message', 'update', 'resolved') AND deleted_at IS NULL AND text IS NOT NULL
  ) WHERE rowid = old.incident_id;
END;
--> statement-breakpoint
INSERT INTO incident_search (rowid, title, summary, service, notes, root_cause, whys)
SELECT i.id, i.title, i.summary, coalesce(i.service_id, ''), coalesce((
  SELECT group_concat(t.text, char(10)) FROM timeline_events t
  WHERE t.incident_id = i.id AND t.kind IN ('note', 'message', 'update', 'resolved') AND t.deleted_at IS NULL AND t.text IS NOT NULL
), ''), '', '' FROM incidents i;
