/**
 * The knowledge feature's queries: the runbooks table and its FTS5 index, the incident FTS5 index (kept by
 * triggers, see db/migrations/0003_search.sql), and what was suggested to each incident. The search statements
 * are plain SQLite SQL prepared once per connection: drizzle has no words for FTS5 MATCH, bm25 or snippet. On
 * Postgres the same searches run on tsvector tables (db/migrations-pg/0001_search.sql) holding the stems
 * relevance.ts computes, so that both engines find the same candidates for the same words.
 */
import type Database from 'better-sqlite3';
import { asc, eq, sql } from 'drizzle-orm';
import { incidentRunbooks, incidentSimilar, incidentSuggestions, runbooks } from '../../db/schema.ts';
import { engineOf, exec, many, onSqliteConnection, preparedStatements, type Db } from '../core/db.ts';
import type { IncidentCandidate } from './ranking.ts';
import { snippet, stemOf, tokens } from './relevance.ts';
import type { Runbook } from './runbook.ts';

export interface StoredRunbook extends Runbook {
  id: number;
  contentHash: string;
}

/** An incident's words as the FTS index holds them (rowid = incident id). */
export type IncidentDocument = IncidentCandidate;

/** What the similar-incident list shows of a past incident. */
export interface PastIncident {
  id: number;
  title: string;
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
  serviceId: string | null;
  isPrivate: boolean;
  declaredAt: number;
  impactStartedAt: number | null;
  impactEndedAt: number | null;
  resolvedAt: number | null;
  channelId: string | null;
  /** From the post-mortem, once written. */
  rootCause: string | null;
  /** The note given when it was resolved. */
  resolution: string | null;
}

export interface LinkedRunbook {
  slug: string;
  title: string;
  rank: number;
  linkedBy: string | null;
  linkedAt: number;
}

/** Notes can be long: candidates are scored on their beginning. */
const NOTES_SCORED = 4000;
/** bm25 column weights, in the order of the FTS5 columns. */
const INCIDENT_BM25 = 'bm25(incident_search, 10.0, 4.0, 3.0, 1.0, 6.0, 3.0)';
const RUNBOOK_BM25 = 'bm25(runbook_search, 10.0, 8.0, 6.0, 4.0, 3.0, 1.0)';

type RunbookRow = typeof runbooks.$inferSelect;

/**
 * The search statements, in SQLite's own SQL (FTS5, json_each): prepared once per connection. Each caller
 * runs them through `withSearch`, in one step on the connection.
 */
function prepareSearch(sqlite: Database.Database) {
  return {
    incidentTermDocs: sqlite.prepare<[string], number>('SELECT doc FROM incident_search_vocab WHERE term = ?').pluck(),
    runbookTermDocs: sqlite.prepare<[string], number>('SELECT doc FROM runbook_search_vocab WHERE term = ?').pluck(),
    // The highest incident number: as good as a count for weighing words, and it costs one index lookup.
    incidentTotal: sqlite.prepare<[], number>('SELECT coalesce(max(id), 0) FROM incidents').pluck(),
    runbookTotal: sqlite.prepare<[], number>('SELECT count(*) FROM runbooks').pluck(),
    // Ranked first, read after: SQLite would otherwise copy every matching document's text into its sorter.
    // Ranked on the FTS index alone (a join would read every match's incidents row), filtered after.
    incidentRankedIds: sqlite
      .prepare<{ match: string; limit: number; fromId: number }, number>(
        `SELECT rowid FROM incident_search WHERE incident_search MATCH @match AND rowid >= @fromId ORDER BY ${INCIDENT_BM25} LIMIT @limit`,
      )
      .pluck(),
    incidentVisible: sqlite
      .prepare<{ ids: string; excludeId: number; includePrivate: number }, number>(
        'SELECT id FROM incidents WHERE id IN (SELECT value FROM json_each(@ids)) AND id <> @excludeId AND is_drill = 0 AND (@includePrivate = 1 OR is_private = 0)',
      )
      .pluck(),
    incidentDocuments: sqlite.prepare<[string], IncidentDocument>(
      `SELECT rowid AS id, title, summary, service, substr(notes, 1, ${NOTES_SCORED}) AS notes, root_cause AS rootCause, whys
       FROM incident_search WHERE rowid IN (SELECT value FROM json_each(?))`,
    ),
    runbookCandidates: sqlite.prepare<{ match: string; limit: number }, { id: number; snippet: string }>(
      `SELECT rowid AS id, snippet(runbook_search, -1, char(57344), char(57345), '…', 20) AS snippet
       FROM runbook_search WHERE runbook_search MATCH @match ORDER BY ${RUNBOOK_BM25} LIMIT @limit`,
    ),
    serviceRunbookIds: sqlite.prepare<{ service: string; tags: string }, number>(
      `SELECT r.id FROM runbooks r
       WHERE EXISTS (SELECT 1 FROM json_each(r.services) WHERE value = @service)
          OR EXISTS (SELECT 1 FROM json_each(r.tags) t JOIN json_each(@tags) q ON lower(t.value) = lower(q.value))`,
    ).pluck(),
    insertRunbookSearch: sqlite.prepare<[number, string, string, string, string, string, string]>(
      'INSERT INTO runbook_search (rowid, title, alerts, tags, summary, headings, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteRunbookSearch: sqlite.prepare<[number]>('DELETE FROM runbook_search WHERE rowid = ?'),
    pastIncidents: sqlite.prepare<[string], Omit<PastIncident, 'isPrivate'> & { isPrivate: number }>(
      `SELECT i.id, i.title, i.status, i.service_id AS serviceId, i.is_private AS isPrivate, i.declared_at AS declaredAt,
              i.impact_started_at AS impactStartedAt, i.impact_ended_at AS impactEndedAt, i.resolved_at AS resolvedAt,
              i.channel_id AS channelId,
              nullif((SELECT root_cause FROM incident_search WHERE rowid = i.id), '') AS rootCause,
              (SELECT t.text FROM timeline_events t
               WHERE t.incident_id = i.id AND t.kind = 'resolved' AND t.deleted_at IS NULL AND t.text IS NOT NULL AND t.text <> ''
               ORDER BY t.at DESC LIMIT 1) AS resolution
       FROM incidents i WHERE i.id IN (SELECT value FROM json_each(?))`,
    ),
  };
}

const searchCache = new WeakMap<Database.Database, ReturnType<typeof prepareSearch>>();

/** Runs `work` with the search statements, in one step on SQLite's connection (see onSqliteConnection). */
function withSearch<T>(db: Db, work: (st: ReturnType<typeof prepareSearch>) => T): Promise<T> {
  return onSqliteConnection(db, (sqlite) => {
    let prepared = searchCache.get(sqlite);
    if (!prepared) searchCache.set(sqlite, (prepared = prepareSearch(sqlite)));
    return work(prepared);
  });
}

const statements = preparedStatements((db) => ({
  allRunbooks: db.select().from(runbooks).orderBy(asc(runbooks.title)).prepare(),
  runbookBySlug: db.select().from(runbooks).where(eq(runbooks.slug, sql.placeholder('slug'))).prepare(),
  runbookById: db.select().from(runbooks).where(eq(runbooks.id, sql.placeholder('id'))).prepare(),
  suggestionsOf: db.select().from(incidentSuggestions).where(eq(incidentSuggestions.incidentId, sql.placeholder('incidentId'))).prepare(),
  linkedRunbooks: db.select().from(incidentRunbooks).where(eq(incidentRunbooks.incidentId, sql.placeholder('incidentId'))).orderBy(asc(incidentRunbooks.rank)).prepare(),
  similarOf: db.select().from(incidentSimilar).where(eq(incidentSimilar.incidentId, sql.placeholder('incidentId'))).orderBy(asc(incidentSimilar.rank)).prepare(),
}));

// ---------------------------------------------------------------------------------------------- runbooks

export async function allRunbooks(db: Db): Promise<StoredRunbook[]> {
  return (await statements(db).allRunbooks.all()).map(toRunbook);
}

export async function runbookBySlug(db: Db, slug: string): Promise<StoredRunbook | undefined> {
  const row = await statements(db).runbookBySlug.get({ slug });
  return row ? toRunbook(row) : undefined;
}

export async function runbooksById(db: Db, ids: readonly number[]): Promise<StoredRunbook[]> {
  const found: StoredRunbook[] = [];
  for (const id of ids) {
    const row = await statements(db).runbookById.get({ id });
    if (row) found.push(toRunbook(row));
  }
  return found;
}

/** The runbooks written for a service: naming it in `services`, or sharing a tag with its `runbook_tags`. */
export async function serviceRunbookIds(db: Db, serviceId: string, serviceTags: readonly string[]): Promise<number[]> {
  if (engineOf(db) === 'postgres') return pgServiceRunbookIds(db, serviceId, serviceTags);
  return withSearch(db, (st) => st.serviceRunbookIds.all({ service: serviceId, tags: JSON.stringify(serviceTags) }));
}

export async function runbookCandidates(db: Db, match: string, limit: number): Promise<{ id: number; snippet: string }[]> {
  if (engineOf(db) === 'postgres') return pgRunbookCandidates(db, match, limit);
  return withSearch(db, (st) => st.runbookCandidates.all({ match, limit }));
}

export async function insertRunbook(db: Db, runbook: Runbook, contentHash: string, at: number): Promise<void> {
  const [row] = await many(db, db.insert(runbooks).values({ ...runbookColumns(runbook), contentHash, indexedAt: at }).returning({ id: runbooks.id }));
  await writeRunbookSearch(db, row!.id, runbook);
}

export async function updateRunbook(db: Db, id: number, runbook: Runbook, contentHash: string, at: number): Promise<void> {
  await exec(db, db.update(runbooks).set({ ...runbookColumns(runbook), contentHash, indexedAt: at }).where(eq(runbooks.id, id)));
  await deleteRunbookSearch(db, id);
  await writeRunbookSearch(db, id, runbook);
}

export async function deleteRunbook(db: Db, id: number): Promise<void> {
  await deleteRunbookSearch(db, id);
  await exec(db, db.delete(runbooks).where(eq(runbooks.id, id)));
}

function runbookColumns(r: Runbook): Omit<typeof runbooks.$inferInsert, 'contentHash' | 'indexedAt'> {
  return { slug: r.slug, path: r.path, title: r.title, summary: r.summary, services: r.services, tags: r.tags, alerts: r.alerts, owner: r.owner, lastReviewed: r.lastReviewed, body: r.body, headings: r.headings };
}

async function writeRunbookSearch(db: Db, id: number, r: Runbook): Promise<void> {
  const columns = [r.title, r.alerts.join('\n'), r.tags.join('\n'), r.summary, r.headings.join('\n'), r.body] as const;
  if (engineOf(db) === 'postgres') await exec(db, sql`INSERT INTO runbook_search (id, title, alerts, tags, summary, headings, body) VALUES (${id}, ${sql.join(columns.map((c) => sql`${c}`), sql`, `)})`);
  else await withSearch(db, (st) => st.insertRunbookSearch.run(id, ...columns));
}

async function deleteRunbookSearch(db: Db, id: number): Promise<void> {
  if (engineOf(db) === 'postgres') await exec(db, sql`DELETE FROM runbook_search WHERE id = ${id}`);
  else await withSearch(db, (st) => st.deleteRunbookSearch.run(id));
}

function toRunbook(row: RunbookRow): StoredRunbook {
  return {
    id: row.id,
    slug: row.slug,
    path: row.path,
    title: row.title,
    summary: row.summary,
    services: row.services,
    tags: row.tags,
    alerts: row.alerts,
    owner: row.owner,
    lastReviewed: row.lastReviewed,
    body: row.body,
    headings: row.headings,
    contentHash: row.contentHash,
  };
}

// ---------------------------------------------------------------------------------------------- search statistics

/**
 * fts5vocab counts a word's documents by reading its whole posting list: cheap for a rare word, slow for one
 * in most incidents of a long history. Counts of such common words barely move, so they are remembered
 * for an hour (per database); rare words, whose counts matter, are always counted afresh.
 */
const COMMON_WORD_DOCS = 1000;
const COMMON_WORD_TTL_MS = 3_600_000;
const commonWordDocs = new WeakMap<Db, Map<string, { docs: number; until: number }>>();

/** In how many documents of each kind each stem appears (0 when none). */
export function documentsWith(db: Db, kind: 'incident' | 'runbook', stems: readonly string[]): Promise<Map<string, number>> {
  if (engineOf(db) === 'postgres') return pgDocumentsWith(db, kind, stems);
  return withSearch(db, (st) => countDocuments(db, st, kind, stems));
}

function countDocuments(db: Db, st: ReturnType<typeof prepareSearch>, kind: 'incident' | 'runbook', stems: readonly string[]): Map<string, number> {
  if (kind === 'runbook') return new Map(stems.map((stem) => [stem, st.runbookTermDocs.get(stem) ?? 0]));
  const cache = commonWordsOf(db);
  const now = performance.now();
  return new Map(
    stems.map((stem) => {
      const cached = cache.get(stem);
      if (cached && cached.until > now) return [stem, cached.docs];
      const docs = st.incidentTermDocs.get(stem) ?? 0;
      if (docs >= COMMON_WORD_DOCS) cache.set(stem, { docs, until: now + COMMON_WORD_TTL_MS });
      return [stem, docs];
    }),
  );
}

function commonWordsOf(db: Db): Map<string, { docs: number; until: number }> {
  let cache = commonWordDocs.get(db);
  if (!cache) commonWordDocs.set(db, (cache = new Map()));
  return cache;
}

export function documentTotal(db: Db, kind: 'incident' | 'runbook'): Promise<number> {
  if (engineOf(db) === 'postgres') return pgDocumentTotal(db, kind);
  return withSearch(db, (st) => (kind === 'incident' ? st.incidentTotal : st.runbookTotal).get() ?? 0);
}

// ---------------------------------------------------------------------------------------------- incidents

interface IncidentCandidateOptions {
  excludeId: number;
  includePrivate: boolean;
  limit: number;
  fromId?: number;
}

/** The documents FTS5 ranks best for the MATCH, best first. */
export function incidentCandidates(db: Db, match: string, options: IncidentCandidateOptions): Promise<IncidentDocument[]> {
  if (engineOf(db) === 'postgres') return pgIncidentCandidates(db, match, options);
  return withSearch(db, (st) => {
    const ranked = st.incidentRankedIds.all({ match, limit: options.limit * 2, fromId: options.fromId ?? 0 });
    const visible = new Set(st.incidentVisible.all({ ids: JSON.stringify(ranked), excludeId: options.excludeId, includePrivate: options.includePrivate ? 1 : 0 }));
    const ids = ranked.filter((id) => visible.has(id)).slice(0, options.limit);
    const documents = new Map(st.incidentDocuments.all(JSON.stringify(ids)).map((d) => [d.id, d]));
    return ids.flatMap((id) => documents.get(id) ?? []);
  });
}

export async function pastIncidents(db: Db, ids: readonly number[]): Promise<PastIncident[]> {
  const rows = engineOf(db) === 'postgres' ? await pgPastIncidents(db, ids) : (await withSearch(db, (st) => st.pastIncidents.all(JSON.stringify(ids)))).map((r) => ({ ...r, isPrivate: r.isPrivate === 1 }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// ---------------------------------------------------------------------------------------------- on Postgres

/**
 * The same searches on Postgres, over db/migrations-pg/0001_search.sql: each table's `terms` holds the stems
 * relevance.ts computes (its migration stems in SQL exactly as `tokens` and `stemOf` do), so a query's stems are
 * counted and matched as they are. ts_rank orders the candidates, its weights (D, C, B, A) standing for bm25's
 * column weights; ranking.ts decides among them on both engines.
 */
const PG_WEIGHTS = sql.raw(`'{0.1, 0.35, 0.6, 1.0}'::float4[]`);

/** A stem as a tsquery lexeme, matched as it is (no dictionary). */
const lexeme = (stem: string): string => `'${stem.replaceAll(/['\\]/g, '$&$&')}'`;

/**
 * The MATCH relevance.ts writes for FTS5 (quoted query words joined by OR, or by AND) as a tsquery of their
 * stems, and those stems: each word stemmed as FTS5's porter tokenizer stems it (the words of a phrase in a row).
 */
export function pgQuery(match: string): { tsquery: string; stems: Set<string> } {
  const stems = new Set<string>();
  const tsquery = match.replaceAll(/"((?:[^"]|"")*)"|\b(AND|OR)\b/g, (_, phrase: string | undefined, operator: string | undefined) => {
    if (operator) return operator === 'AND' ? '&' : '|';
    const words = tokens(phrase!.replaceAll('""', '"')).map(stemOf);
    for (const stem of words) stems.add(stem);
    return `(${words.map(lexeme).join(' <-> ')})`;
  });
  return { tsquery, stems };
}

async function pgServiceRunbookIds(db: Db, serviceId: string, serviceTags: readonly string[]): Promise<number[]> {
  const tags = serviceTags.map((t) => sql`${t.toLowerCase()}`);
  const rows = await many<{ id: number }>(
    db,
    sql`SELECT r.id FROM runbooks r
        WHERE EXISTS (SELECT 1 FROM json_array_elements_text(r.services) AS s(value) WHERE s.value = ${serviceId})
           OR EXISTS (SELECT 1 FROM json_array_elements_text(r.tags) AS t(value) WHERE lower(t.value) = ANY (ARRAY[${sql.join(tags, sql`, `)}]::text[]))
        ORDER BY r.id`,
  );
  return rows.map((r) => r.id);
}

type RunbookSearchRow = { id: number; title: string; alerts: string; tags: string; summary: string; headings: string; body: string };

/** The best runbooks for the MATCH, each with FTS5's kind of snippet (see relevance.ts `snippet`). */
async function pgRunbookCandidates(db: Db, match: string, limit: number): Promise<{ id: number; snippet: string }[]> {
  const { tsquery, stems } = pgQuery(match);
  const rows = await many<RunbookSearchRow>(
    db,
    sql`SELECT id, title, alerts, tags, summary, headings, body FROM runbook_search, CAST(${tsquery} AS tsquery) AS q
        WHERE terms @@ q ORDER BY ts_rank(${PG_WEIGHTS}, terms, q, 1) DESC, id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, snippet: snippet([r.title, r.alerts, r.tags, r.summary, r.headings, r.body], stems) }));
}

/** Counts every stem's documents in one statement; an incident's common words come from the cache as on SQLite. */
async function pgDocumentsWith(db: Db, kind: 'incident' | 'runbook', stems: readonly string[]): Promise<Map<string, number>> {
  if (kind === 'runbook') return pgCountDocuments(db, 'runbook_search', stems);
  const cache = commonWordsOf(db);
  const now = performance.now();
  const counted = await pgCountDocuments(db, 'incident_search', stems.filter((stem) => (cache.get(stem)?.until ?? 0) <= now));
  for (const [stem, docs] of counted) if (docs >= COMMON_WORD_DOCS) cache.set(stem, { docs, until: now + COMMON_WORD_TTL_MS });
  return new Map(stems.map((stem) => [stem, counted.get(stem) ?? cache.get(stem)?.docs ?? 0]));
}

async function pgCountDocuments(db: Db, table: 'incident_search' | 'runbook_search', stems: readonly string[]): Promise<Map<string, number>> {
  if (stems.length === 0) return new Map();
  const queries = stems.map((stem) => sql`${lexeme(stem)}`);
  const rows = await many<{ n: number; docs: number }>(
    db,
    sql`SELECT n, (SELECT count(*) FROM ${sql.identifier(table)} WHERE terms @@ CAST(query AS tsquery)) AS docs
        FROM unnest(ARRAY[${sql.join(queries, sql`, `)}]::text[]) WITH ORDINALITY AS stems(query, n)`,
  );
  return new Map(rows.map((r) => [stems[r.n - 1]!, r.docs]));
}

async function pgDocumentTotal(db: Db, kind: 'incident' | 'runbook'): Promise<number> {
  // As on SQLite: the highest incident number stands for their count.
  const query = kind === 'incident' ? sql`SELECT coalesce(max(id), 0) AS n FROM incidents` : sql`SELECT count(*) AS n FROM runbooks`;
  return (await many<{ n: number }>(db, query))[0]?.n ?? 0;
}

/** As on SQLite: ranked on the search table alone, twice the limit, then the visible ones kept. */
async function pgIncidentCandidates(db: Db, match: string, options: IncidentCandidateOptions): Promise<IncidentDocument[]> {
  const { tsquery } = pgQuery(match);
  return many<IncidentDocument>(
    db,
    sql`WITH ranked AS (
          SELECT id, ts_rank(${PG_WEIGHTS}, terms, q, 1) AS rank FROM incident_search, CAST(${tsquery} AS tsquery) AS q
          WHERE terms @@ q AND id >= ${options.fromId ?? 0} ORDER BY rank DESC, id DESC LIMIT ${options.limit * 2}
        )
        SELECT s.id, s.title, s.summary, s.service, substr(s.notes, 1, ${NOTES_SCORED}) AS notes, s.root_cause AS "rootCause", s.whys
        FROM ranked JOIN incidents i ON i.id = ranked.id JOIN incident_search s ON s.id = ranked.id
        WHERE i.id <> ${options.excludeId} AND NOT i.is_drill AND (${options.includePrivate} OR NOT i.is_private)
        ORDER BY ranked.rank DESC, ranked.id DESC LIMIT ${options.limit}`,
  );
}

async function pgPastIncidents(db: Db, ids: readonly number[]): Promise<PastIncident[]> {
  if (ids.length === 0) return [];
  return many<PastIncident>(
    db,
    sql`SELECT i.id, i.title, i.status, i.service_id AS "serviceId", i.is_private AS "isPrivate", i.declared_at AS "declaredAt",
               i.impact_started_at AS "impactStartedAt", i.impact_ended_at AS "impactEndedAt", i.resolved_at AS "resolvedAt",
               i.channel_id AS "channelId",
               nullif((SELECT root_cause FROM incident_search WHERE id = i.id), '') AS "rootCause",
               (SELECT t.text FROM timeline_events t
                WHERE t.incident_id = i.id AND t.kind = 'resolved' AND t.deleted_at IS NULL AND t.text IS NOT NULL AND t.text <> ''
                ORDER BY t.at DESC LIMIT 1) AS resolution
        FROM incidents i WHERE i.id IN ${[...ids]}`,
  );
}

// ---------------------------------------------------------------------------------------------- suggestions

export async function suggestionsOf(db: Db, incidentId: number): Promise<{ suggestedAt: number; messageTs: string | null } | undefined> {
  return statements(db).suggestionsOf.get({ incidentId });
}

export async function recordSuggestions(db: Db, incidentId: number, found: { runbooks: readonly { slug: string; title: string }[]; similar: readonly { id: number; score: number; matched: string[] }[] }, at: number): Promise<void> {
  await exec(db, db.insert(incidentSuggestions).values({ incidentId, suggestedAt: at }));
  for (const [rank, r] of found.runbooks.entries()) await exec(db, db.insert(incidentRunbooks).values({ incidentId, slug: r.slug, title: r.title, rank, linkedBy: null, linkedAt: at }).onConflictDoNothing());
  for (const [rank, s] of found.similar.entries()) await exec(db, db.insert(incidentSimilar).values({ incidentId, similarId: s.id, rank, score: s.score, matched: s.matched, foundAt: at }));
}

export async function setSuggestionMessage(db: Db, incidentId: number, ts: string): Promise<void> {
  await exec(db, db.update(incidentSuggestions).set({ messageTs: ts }).where(eq(incidentSuggestions.incidentId, incidentId)));
}

export async function linkedRunbooks(db: Db, incidentId: number): Promise<LinkedRunbook[]> {
  return (await statements(db).linkedRunbooks.all({ incidentId })).map(({ slug, title, rank, linkedBy, linkedAt }) => ({ slug, title, rank, linkedBy, linkedAt }));
}

/** Links a runbook a responder chose; false when it was linked already. */
export async function linkRunbook(db: Db, incidentId: number, runbook: { slug: string; title: string }, userId: string, at: number): Promise<boolean> {
  const rank = (await linkedRunbooks(db, incidentId)).length;
  return (await exec(db, db.insert(incidentRunbooks).values({ incidentId, slug: runbook.slug, title: runbook.title, rank, linkedBy: userId, linkedAt: at }).onConflictDoNothing())) > 0;
}

export async function similarFoundFor(db: Db, incidentId: number): Promise<{ id: number; score: number; matched: string[] }[]> {
  return (await statements(db).similarOf.all({ incidentId })).map((r) => ({ id: r.similarId, score: r.score, matched: r.matched }));
}
