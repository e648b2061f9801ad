-- Adding a note re-stemmed the whole incident, its notes included: a few milliseconds of Postgres per note, more as
-- the notes grew. incident_search now keeps each field's tsvector beside `terms`, which is their concatenation in
-- 0001's order (so the same tsvector, places and all): a change stems only the fields it changes, and notes that
-- grow by a line at their end (a note or captured message after the others) stem only that line. Hand-written:
-- drizzle-kit cannot describe functions or triggers.

-- search_vector of each field, as 0001 weighs it. NULL until the row next changes: its terms are right as they are,
-- and stemming every past incident again would make this migration as slow as 0001's fill. notes_last_word: the
-- place search_words gives the notes' last word (0 when they have none), NULL until an appended line needs it.
ALTER TABLE incident_search
  ADD COLUMN title_terms tsvector,
  ADD COLUMN summary_terms tsvector,
  ADD COLUMN service_terms tsvector,
  ADD COLUMN notes_terms tsvector,
  ADD COLUMN notes_last_word integer,
  ADD COLUMN root_cause_terms tsvector,
  ADD COLUMN whys_terms tsvector;
--> statement-breakpoint

-- The last place a tsvector holds a word at (0: none), after which `||` puts the next one's words: the place of a
-- marker put after them, the only lexeme of weight A once the others are made D. For vectors ending below 16,383.
CREATE FUNCTION search_vector_end(terms tsvector) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT positions[1] - 1 FROM unnest(ts_filter(setweight(terms, 'D') || '''~'':1A'::tsvector, '{a}'))
$$;
--> statement-breakpoint

-- A tsvector with every place moved by `by` (which must leave them above 0), weights kept. Its lexemes are
-- search_stem's stems, letters and digits: quoted as they are.
CREATE FUNCTION search_vector_moved(terms tsvector, by integer) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(string_agg('''' || lexeme || ''':' || (
    SELECT string_agg((place + by)::text || weight, ',' ORDER BY place) FROM unnest(positions, weights) AS p(place, weight)
  ), ' ')::tsvector, ''::tsvector)
  FROM unnest(terms)
$$;
--> statement-breakpoint

-- search_vector(notes || E'\n' || line, 'D') and the place of its last word, from the notes' (`terms` and
-- `last_word`, as the columns hold them) and the line, stemming only the line. The notes' words keep their places
-- (NFKD, lower case and the split do not reach across the line break); the line's place n becomes n + the notes'
-- last word's place (at least 1: the empty text search_words counts before "\n"), less one if the line begins
-- between words (search_words then numbers its first word 2). `||` puts the line's vector after the last place the
-- notes' vector holds, which can be before their last word (a stem keeps its first 256 places): it is moved by the
-- difference. NULL where a bound of search_vector could cut the result (200,000 characters; 16,383 places; 128 kB
-- of stems, which two vectors of at most 128,000 - 2,049 bytes, the most one stem adds, were not cut at and their
-- union is not), for only the whole text says what a cut leaves.
CREATE FUNCTION search_notes_appended(notes text, terms tsvector, last_word integer, line text, OUT appended_terms tsvector, OUT appended_last_word integer)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  first_in_line bigint;
  last_in_line bigint;
  after integer;
  added tsvector;
BEGIN
  IF length(notes) + 1 + length(line) > 200000 THEN
    RETURN;
  END IF;
  last_word := coalesce(last_word, (SELECT coalesce(max(n), 0) FROM search_words(notes)));
  SELECT min(n), max(n) INTO first_in_line, last_in_line FROM search_words(line);
  IF last_in_line IS NULL THEN
    appended_terms := terms;
    appended_last_word := last_word;
    RETURN;
  END IF;
  after := greatest(last_word, 1) + 1 - first_in_line;
  IF after + last_in_line > 16383 THEN
    RETURN;
  END IF;
  added := search_vector(line, 'D');
  IF octet_length(array_to_string(tsvector_to_array(terms), '')) + 3 * length(terms)
      + octet_length(array_to_string(tsvector_to_array(added), '')) + 3 * length(added) > 128000 - 2049 THEN
    RETURN;
  END IF;
  appended_terms := terms || search_vector_moved(added, after - search_vector_end(terms));
  appended_last_word := after + last_in_line;
END
$$;
--> statement-breakpoint

-- Each field's vector kept while the field is as it was (OLD is NULL on an insert), else stemmed again; notes that
-- grew at their end by a line break and more, whichever trigger wrote them, stem only what was added. `terms` is
-- the vectors' concatenation, in 0001's order.
CREATE OR REPLACE FUNCTION incident_search_terms() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- An update that leaves the words as they were (a title set to itself) keeps its terms.
  IF TG_OP = 'UPDATE' AND (NEW.title, NEW.summary, NEW.service, NEW.notes, NEW.root_cause, NEW.whys)
      IS NOT DISTINCT FROM (OLD.title, OLD.summary, OLD.service, OLD.notes, OLD.root_cause, OLD.whys) THEN
    RETURN NEW;
  END IF;
  NEW.title_terms := coalesce(CASE WHEN NEW.title = OLD.title THEN OLD.title_terms END, search_vector(NEW.title, 'A'));
  NEW.summary_terms := coalesce(CASE WHEN NEW.summary = OLD.summary THEN OLD.summary_terms END, search_vector(NEW.summary, 'C'));
  NEW.service_terms := coalesce(CASE WHEN NEW.service = OLD.service THEN OLD.service_terms END, search_vector(NEW.service, 'C'));
  NEW.root_cause_terms := coalesce(CASE WHEN NEW.root_cause = OLD.root_cause THEN OLD.root_cause_terms END, search_vector(NEW.root_cause, 'B'));
  NEW.whys_terms := coalesce(CASE WHEN NEW.whys = OLD.whys THEN OLD.whys_terms END, search_vector(NEW.whys, 'C'));
  IF NEW.notes = OLD.notes AND OLD.notes_terms IS NOT NULL THEN
    NEW.notes_terms := OLD.notes_terms;
    NEW.notes_last_word := OLD.notes_last_word;
  ELSIF OLD.notes_terms IS NOT NULL AND starts_with(NEW.notes, OLD.notes || E'\n') THEN
    SELECT appended_terms, appended_last_word INTO NEW.notes_terms, NEW.notes_last_word
    FROM search_notes_appended(OLD.notes, OLD.notes_terms, OLD.notes_last_word, substr(NEW.notes, length(OLD.notes) + 2));
  ELSE
    NEW.notes_terms := NULL;
  END IF;
  IF NEW.notes_terms IS NULL THEN
    NEW.notes_terms := search_vector(NEW.notes, 'D');
    NEW.notes_last_word := NULL;
  END IF;
  NEW.terms := NEW.title_terms || NEW.summary_terms || NEW.service_terms || NEW.notes_terms || NEW.root_cause_terms || NEW.whys_terms;
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- As 0001, but the common case, one note or captured message with text and no timeline entry newer (a higher id),
-- with fewer than 100 indexed entries besides it, is appended to the notes rather than gathering them again: the
-- bounded notes list updates and the resolution first, then notes and messages by id, so it is their last line.
CREATE OR REPLACE FUNCTION incident_search_notes_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM added) = 1 THEN
    UPDATE incident_search s SET notes = CASE WHEN others.n = 0 THEN a.text ELSE s.notes || E'\n' || a.text END
    FROM added a, LATERAL (
      SELECT count(*) AS n FROM (
        SELECT 1 FROM timeline_events t
        WHERE t.incident_id = a.incident_id AND t.id <> a.id AND t.kind IN ('note', 'message', 'update', 'resolved') AND t.deleted_at IS NULL AND t.text IS NOT NULL
        LIMIT 100
      ) AS entries
    ) AS others
    WHERE s.id = a.incident_id AND a.kind IN ('note', 'message') AND a.text IS NOT NULL AND a.deleted_at IS NULL AND others.n < 100
      AND NOT EXISTS (SELECT 1 FROM timeline_events t WHERE t.id > a.id);
    IF FOUND THEN
      RETURN NULL;
    END IF;
  END IF;
  UPDATE incident_search SET notes = incident_search_notes(id)
  WHERE id IN (
    SELECT a.incident_id FROM added a
    WHERE a.text IS NOT NULL AND a.deleted_at IS NULL AND (
      a.kind IN ('update', 'resolved')
      OR (a.kind IN ('note', 'message') AND (
        SELECT count(*) FROM (
          SELECT 1 FROM timeline_events t
          WHERE t.incident_id = a.incident_id AND t.id < a.id AND t.kind IN ('note', 'message', 'update', 'resolved') AND t.deleted_at IS NULL AND t.text IS NOT NULL
          LIMIT 100
        ) AS before
      ) < 100)
    )
  );
  RETURN NULL;
END
$$;
