/**
 * The knowledge feature's searches on both engines, on the same data: which runbooks an incident links, what a
 * runbook search finds, which past incidents are similar, through SQLite's FTS5 tables and Postgres's tsvector
 * ones (db/migrations-pg/0001_search.sql, 0002_search_appended_notes.sql). Each engine gives the expected
 * answers, and both give the same scores, matched words, snippets, document counts and incident index.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, postmortems, runbooks, timelineEvents } from '../../db/schema.ts';
import { exec, many, type Db } from '../../src/core/db.ts';
import { openKlaxonDatabase } from '../../src/core/open-database.ts';
import { openPostgres, PG_MIGRATIONS } from '../../src/core/postgres.ts';
import { runbooksForIncident, searchRunbooks, similarIncidents } from '../../src/knowledge/search.ts';
import { documentsWith, documentTotal, insertRunbook, pgQuery } from '../../src/knowledge/store.ts';
import { queryWords, stemOf, tokens } from '../../src/knowledge/relevance.ts';
import { tempDir } from '../support/db.ts';
import { scratchDatabase } from '../support/postgres.ts';
import { CORPUS } from '../support/runbook-corpus.ts';

type Engine = 'sqlite' | 'postgres';
const ENGINES = ['sqlite', 'postgres'] as const;

interface Opened {
  db: Db;
  close(): Promise<void>;
}

/** A freshly migrated database: a SQLite file, or a Postgres scratch database. */
async function openEngine(engine: Engine): Promise<Opened> {
  if (engine === 'sqlite') {
    const tmp = tempDir();
    const database = await openKlaxonDatabase(join(tmp.dir, 'klaxon.db'));
    return { db: database.db, close: async () => (await database.close(), tmp.remove()) };
  }
  const scratch = await scratchDatabase();
  const database = await openKlaxonDatabase(scratch.url);
  return { db: database.db, close: async () => (await database.close(), await scratch.drop()) };
}

interface IncidentSeed {
  service?: string;
  private?: boolean;
  drill?: boolean;
  summary?: string;
}

const insertIncident = (db: Db, id: number, title: string, extra: IncidentSeed = {}) =>
  exec(
    db,
    db.insert(incidents).values({ id, title, summary: extra.summary ?? '', severity: 'sev2', status: 'resolved', serviceId: extra.service ?? null, isPrivate: extra.private ?? false, isDrill: extra.drill ?? false, declaredBy: 'U0ALICE', declaredAt: id * 1000, updatedAt: id * 1000 }),
  );

const addEntry = (db: Db, incidentId: number, kind: string, text: string | null, at = 0) => exec(db, db.insert(timelineEvents).values({ incidentId, kind, at, text, recordedAt: at }));

const addPostmortem = (db: Db, incidentId: number, rootCause: string, whys: string) =>
  exec(db, db.insert(postmortems).values({ incidentId, form: {}, state: 'complete', rootCause, whys, createdBy: 'U0ALICE', createdAt: 0, updatedBy: 'U0ALICE', updatedAt: 0 }));

/** The corpus of runbooks, and past incidents: alike, drills, private ones, one found by its notes, one by its root cause. */
async function fill(db: Db): Promise<void> {
  for (const [i, r] of CORPUS.entries()) await insertRunbook(db, r, `hash-${i}`, 0);
  await insertIncident(db, 1, 'Payments API returning 502 after deploy', { service: 'payments' });
  await insertIncident(db, 2, 'Search results stale: indexing queue lag', { service: 'search' });
  await insertIncident(db, 3, 'Payments 502s during load test', { service: 'payments', drill: true });
  await insertIncident(db, 4, 'Payments API 502 errors for card checkout', { service: 'payments', private: true });
  await insertIncident(db, 5, 'Login page slow');
  await addEntry(db, 5, 'note', 'Redis evictions filled the session cache', 5000);
  for (let i = 6; i <= 40; i += 1) await insertIncident(db, i, `Routine maintenance window ${i}`);
  await insertIncident(db, 41, 'Payments API returning 502 errors again', { service: 'payments' });
  await addPostmortem(db, 2, 'Kafka consumer group rebalanced in a loop', 'A deploy restarted every consumer at once');
}

const databases = new Map<Engine, Opened>();
const dbOf = (engine: Engine): Db => databases.get(engine)!.db;

beforeAll(async () => {
  for (const engine of ENGINES) {
    const opened = await openEngine(engine);
    databases.set(engine, opened);
    await fill(opened.db);
  }
}, 60_000);
afterAll(async () => {
  for (const opened of databases.values()) await opened.close();
});

const noService = { serviceId: null, serviceTags: [] };
type Context = { serviceId: string | null; serviceTags: string[] };
const linkedOn = async (db: Db, title: string, context: Context = noService) => runbooksForIncident(db, { id: 0, title, summary: '', serviceId: context.serviceId }, context);
const similarOn = async (db: Db, id: number, title: string, opts: { includePrivate?: boolean; service?: string } = {}) =>
  similarIncidents(db, { id, title, summary: '', serviceId: opts.service ?? null }, { includePrivate: opts.includePrivate ?? false });

describe.each(ENGINES)('on %s', (engine) => {
  const linked = async (title: string, context: Context = noService): Promise<string[]> => (await linkedOn(dbOf(engine), title, context)).map((r) => r.runbook.slug);
  const find = async (id: number, title: string, opts: { includePrivate?: boolean; service?: string } = {}): Promise<number[]> => (await similarOn(dbOf(engine), id, title, opts)).map((r) => r.id);

  describe('runbooks for an incident', () => {
    it('puts the runbook written for the service and sharing its words first', async () => {
      expect((await linked('Checkout returning 502 errors', { serviceId: 'payments', serviceTags: [] }))[0]).toBe('payments-5xx-spike');
      expect(await linked('Connection timeouts from payments to postgres', { serviceId: 'payments', serviceTags: [] })).toEqual(['database-connection-pool-exhausted', 'payments-5xx-spike']);
    });

    it('links a general runbook on its words alone', async () => {
      expect(await linked('TLS certificate expired on api.example.com')).toEqual(['certificate-expiry']);
      expect(await linked('NXDOMAIN for internal names')).toEqual(['dns-resolution-failure']);
    });

    it('links nothing for an unrelated title', async () => {
      expect(await linked('Office coffee machine is broken')).toEqual([]);
      expect(await linked('Quarterly planning offsite')).toEqual([]);
    });

    it('stems: "timeouts" matches a runbook that says "timeout"', async () => {
      expect(stemOf('timeouts')).toBe(stemOf('timeout'));
      expect(await linked('Checkout timeouts')).toContain('database-connection-pool-exhausted');
    });

    it('falls back to the service’s runbooks when the words match none, after relevant ones', async () => {
      expect(await linked('Something odd', { serviceId: 'search', serviceTags: [] })).toEqual(['database-connection-pool-exhausted', 'queue-backlog']);
    });

    it('counts a shared runbook tag from klaxon.yml as written for the service', async () => {
      expect(await linked('Card declines up', { serviceId: 'billing', serviceTags: ['kafka'] })).toEqual(['queue-backlog']);
      expect(await linked('Card declines up', { serviceId: 'billing', serviceTags: ['KAFKA'] })).toEqual(['queue-backlog']);
    });

    it('links at most three, and not the ones that share one word of many', async () => {
      expect(await linked('payments database connection timeout certificate dns queue backlog', { serviceId: 'payments', serviceTags: [] })).toEqual(['database-connection-pool-exhausted', 'payments-5xx-spike']);
    });
  });

  describe('runbook search', () => {
    it('answers with the best runbooks and a snippet marking the matching words', async () => {
      const hits = await searchRunbooks(dbOf(engine), 'pg_stat_activity idle sessions', 5);
      expect(hits[0]?.runbook.slug).toBe('database-connection-pool-exhausted');
      expect(hits[0]?.snippet).toBe('Look at \uE000pg\uE001_\uE000stat\uE001_\uE000activity\uE001 for \uE000idle\uE001 in transaction \uE000sessions\uE001. Raise the pool size only as a last resort.');
    });

    it('marks the words in the field and the passage that hold most of them, with ellipses where it goes on', async () => {
      const [hit] = await searchRunbooks(dbOf(engine), 'clients handshake', 5);
      expect(hit?.runbook.slug).toBe('certificate-expiry');
      expect(hit?.snippet).toBe('A certificate has expired or is about to: \uE000clients\uE001 fail the TLS \uE000handshake\uE001.');
    });

    it('finds nothing for words no runbook has', async () => {
      expect(await searchRunbooks(dbOf(engine), 'zebra giraffe', 5)).toEqual([]);
    });
  });

  describe('similar past incidents', () => {
    it('lists the past incident worded like this one, never itself, never a drill, never a private one unless asked', async () => {
      expect(await find(41, 'Payments API returning 502 errors again', { service: 'payments' })).toEqual([1]);
      expect(await find(41, 'Payments API returning 502 errors again', { service: 'payments', includePrivate: true })).toEqual([4, 1]);
    });

    it('finds an incident through the words of its notes', async () => {
      expect(await find(42, 'Session cache evictions')).toEqual([5]);
    });

    it('finds an incident through its post-mortem’s root cause', async () => {
      expect(await find(42, 'Kafka consumers rebalancing in a loop')).toEqual([2]);
    });

    it('lists nothing for an unrelated title', async () => {
      expect(await find(42, 'Office coffee machine broken')).toEqual([]);
    });
  });
});

/** Titles and phrases to ask both engines: every runbook's and incident's own words, and the tests' queries. */
function queries(): string[] {
  const asked = [
    'Checkout returning 502 errors',
    'Connection timeouts from payments to postgres',
    'TLS certificate expired on api.example.com',
    'pg_stat_activity idle sessions',
    'Checkout timeouts',
    'Session cache evictions',
    'Kafka consumers rebalancing in a loop',
    'payments database connection timeout certificate dns queue backlog',
    'renew the proxy certificates',
    'consumer lag partition',
  ];
  const runbookWords = CORPUS.flatMap((r) => [r.title, r.summary, r.body, ...r.headings, ...r.alerts]);
  return [...asked, ...runbookWords, 'Payments API returning 502 after deploy', 'Search results stale: indexing queue lag', 'Login page slow'];
}

describe('both engines', () => {
  const onBoth = async <T>(ask: (db: Db) => Promise<T>): Promise<{ sqlite: T; postgres: T }> => ({ sqlite: await ask(dbOf('sqlite')), postgres: await ask(dbOf('postgres')) });

  it('link, find and score every query alike: same runbooks, incidents, scores, matched words and snippets', async () => {
    let answered = 0;
    for (const query of queries()) {
      for (const context of [noService, { serviceId: 'payments', serviceTags: ['kafka'] }]) {
        const linkedRunbooks = await onBoth(async (db) => (await linkedOn(db, query, context)).map((r) => ({ slug: r.runbook.slug, score: r.score, matched: r.matched, forService: r.forService })));
        expect(linkedRunbooks.postgres, query).toEqual(linkedRunbooks.sqlite);
      }
      const found = await onBoth(async (db) => (await searchRunbooks(db, query, 5)).map((h) => ({ slug: h.runbook.slug, score: h.score, matched: h.matched, snippet: h.snippet })));
      expect(found.postgres, query).toEqual(found.sqlite);
      const similar = await onBoth((db) => similarOn(db, 42, query, { includePrivate: true, service: 'payments' }));
      expect(similar.postgres, query).toEqual(similar.sqlite);
      if (found.sqlite.length && similar.sqlite.length) answered += 1;
    }
    expect(answered).toBeGreaterThan(5);
  });

  it('count the same documents for every word, and the same totals', async () => {
    const stems = [...new Set(queries().flatMap((q) => queryWords(q).map((w) => w.stem)))];
    for (const kind of ['runbook', 'incident'] as const) {
      const counts = await onBoth((db) => documentsWith(db, kind, stems));
      expect(counts.postgres).toEqual(counts.sqlite);
      expect([...counts.sqlite.values()].some((n) => n > 1)).toBe(true);
      const totals = await onBoth((db) => documentTotal(db, kind));
      expect(totals.postgres).toEqual(totals.sqlite);
    }
  });

  it('keep the incident index as SQLite’s triggers keep it, step by step', async () => {
    const fresh = { sqlite: await openEngine('sqlite'), postgres: await openEngine('postgres') };
    const indexed = (engine: Engine) =>
      many(
        fresh[engine].db,
        engine === 'sqlite'
          ? sql`SELECT rowid AS id, title, summary, service, notes, root_cause AS "rootCause", whys FROM incident_search ORDER BY rowid`
          : sql`SELECT id, title, summary, service, notes, root_cause AS "rootCause", whys FROM incident_search ORDER BY id`,
      );
    const notes = (from: number, to: number, kind = 'note') => Array.from({ length: to - from + 1 }, (_, i) => ({ incidentId: 1, kind, at: from + i, text: `${kind} ${from + i}`, recordedAt: 0 }));
    const steps: [string, (db: Db) => Promise<unknown>][] = [
      ['an incident', (db) => insertIncident(db, 1, 'Checkout fails', { summary: 'Cards declined', service: 'payments' })],
      ['a note, a page and a captured message', async (db) => (await addEntry(db, 1, 'note', 'pool exhausted'), await addEntry(db, 1, 'paged', 'Paged <@U01BOB>'), await addEntry(db, 1, 'message', 'restarting pgbouncer'))],
      ['the message edited', (db) => exec(db, sql`UPDATE timeline_events SET text = 'restarted pgbouncer' WHERE kind = 'message'`)],
      ['the message deleted', (db) => exec(db, sql`UPDATE timeline_events SET deleted_at = 1 WHERE kind = 'message'`)],
      ['a captured message before its text', (db) => addEntry(db, 1, 'message', null)],
      ['…and once its text is known', (db) => exec(db, sql`UPDATE timeline_events SET text = 'failing over to the replica' WHERE kind = 'message' AND text IS NULL`)],
      ['150 notes in one statement', (db) => exec(db, db.insert(timelineEvents).values(notes(1, 150)))],
      ['a status update and the resolution', async (db) => (await addEntry(db, 1, 'update', 'rolled back the release'), await addEntry(db, 1, 'resolved', 'raised the pool size'))],
      ['a note past the first hundred', (db) => addEntry(db, 1, 'note', 'note 151')],
      ['an early note removed', (db) => exec(db, sql`DELETE FROM timeline_events WHERE text = 'note 5'`)],
      ['a post-mortem', (db) => addPostmortem(db, 1, 'expired certificate', 'cert not renewed')],
      ['its root cause edited', (db) => exec(db, sql`UPDATE postmortems SET root_cause = 'no renewal alert' WHERE incident_id = 1`)],
      ['the incident retitled and moved', (db) => exec(db, sql`UPDATE incidents SET title = 'Checkout down', summary = '', service_id = NULL WHERE id = 1`)],
      ['the post-mortem deleted', (db) => exec(db, sql`DELETE FROM postmortems WHERE incident_id = 1`)],
      ['a second incident', async (db) => (await insertIncident(db, 2, 'Search stale'), await addEntry(db, 2, 'note', 'queue lag'))],
      ['the first incident deleted', (db) => exec(db, sql`DELETE FROM incidents WHERE id = 1`)],
    ];
    try {
      for (const [step, write] of steps) {
        for (const engine of ENGINES) await write(fresh[engine].db);
        const index = { sqlite: await indexed('sqlite'), postgres: await indexed('postgres') };
        expect(index.postgres, step).toEqual(index.sqlite);
      }
    } finally {
      for (const opened of Object.values(fresh)) await opened.close();
    }
  }, 60_000);

  it('keep the notes appended one by one as a full re-index would: the same notes, stems and places, the same answers', async () => {
    const fresh = { sqlite: await openEngine('sqlite'), postgres: await openEngine('postgres') };
    const pg = fresh.postgres.db;
    const indexed = (engine: Engine) =>
      many<{ id: number; notes: string }>(fresh[engine].db, engine === 'sqlite' ? sql`SELECT rowid AS id, notes FROM incident_search ORDER BY rowid` : sql`SELECT id, notes FROM incident_search ORDER BY id`);
    // What Postgres keeps, beside what gathering the notes and stemming every field again gives.
    const kept = () =>
      many<{ id: number; notes: string; gathered: string; terms: string; restemmed: string; notesTerms: string; notesRestemmed: string; lastWord: number | null; lastWordCounted: number }>(
        pg,
        sql`SELECT id, notes, incident_search_notes(id) AS gathered, terms::text AS terms,
                   (search_vector(title, 'A') || search_vector(summary, 'C') || search_vector(service, 'C') || search_vector(notes, 'D')
                     || search_vector(root_cause, 'B') || search_vector(whys, 'C'))::text AS restemmed,
                   notes_terms::text AS "notesTerms", search_vector(notes, 'D')::text AS "notesRestemmed",
                   notes_last_word AS "lastWord", (SELECT coalesce(max(n), 0) FROM search_words(notes))::int AS "lastWordCounted"
            FROM incident_search ORDER BY id`,
      );
    const words = ['pool', 'exhausted', 'restarted', 'pgbouncer', 'db-3', 'errors', 'dropped', 'checkout', 'deploy', 'rolled', 'back', 'kafka', 'consumer', 'lag', 'latency', 'spiked', 'timeouts', 'redis', 'evictions', 'certificate', 'renewed', 'dns', 'failing', 'nxdomain', 'the', 'replicas', 'v2.41.3', '502s', 'waiting'];
    const noteText = (i: number) => Array.from({ length: 4 + (i % 13) }, (_, k) => words[(i * 31 + k * k * 7 + k) % words.length]).join(' ') + ` n${i}`;
    const idOf = async (db: Db, text: string) => (await many<{ id: number }>(db, sql`SELECT id FROM timeline_events WHERE text = ${text}`))[0]!.id;
    // Lines that begin or end between words, hold none, or change case by context (a final sigma), notes without
    // words, a stem past a tsvector's 256 places of one lexeme, edits at the end and earlier, deletions, a note
    // older than others, updates that go first.
    const special = new Map<number, (db: Db) => Promise<unknown>>([
      [5, (db) => addEntry(db, 3, 'note', '')],
      [6, (db) => addEntry(db, 3, 'note', '-- --')],
      [7, (db) => addEntry(db, 3, 'note', 'evictions spiked')],
      [8, (db) => addEntry(db, 3, 'note', ' -- memory limits raised')],
      [12, (db) => addEntry(db, 1, 'note', '')],
      [13, (db) => addEntry(db, 1, 'note', '— … —')],
      [14, (db) => addEntry(db, 1, 'note', '\u0301ΟΔΟΣ café, -- leading and trailing --')],
      [15, (db) => addEntry(db, 1, 'note', 'Σ')],
      [16, (db) => addEntry(db, 1, 'note', '(indented) redis evictions')],
      [20, (db) => addEntry(db, 1, 'note', 'the '.repeat(300))],
      [25, (db) => addEntry(db, 1, 'update', 'rolled back the release')],
      [30, async (db) => exec(db, sql`UPDATE timeline_events SET text = ${`${noteText(29)}\nand pgbouncer restarted`} WHERE id = ${await idOf(db, noteText(29))}`)],
      [40, (db) => exec(db, db.insert(timelineEvents).values([41, 42, 43].map((n) => ({ incidentId: 1, kind: 'note', at: n, text: `three at once ${n}`, recordedAt: 0 }))))],
      [45, async (db) => exec(db, sql`UPDATE timeline_events SET text = 'an early note, rewritten' WHERE id = ${await idOf(db, noteText(3))}`)],
      [50, (db) => addEntry(db, 2, 'note', 'another incident’s note in between')],
      [55, (db) => addPostmortem(db, 1, 'pool too small for the deploy', 'no load test')],
      [60, async (db) => exec(db, sql`DELETE FROM timeline_events WHERE id = ${await idOf(db, noteText(10))}`)],
      [61, async (db) => exec(db, sql`UPDATE timeline_events SET deleted_at = 1 WHERE id = ${await idOf(db, noteText(11))}`)],
      [62, async (db) => exec(db, db.insert(timelineEvents).values({ id: (await idOf(db, noteText(9))) + 1, incidentId: 1, kind: 'note', at: 10, text: 'a note in the place of the deleted one', recordedAt: 0 }))],
      [70, (db) => addEntry(db, 1, 'message', null)],
      [71, (db) => exec(db, sql`UPDATE timeline_events SET text = 'failing over to the replica' WHERE kind = 'message' AND text IS NULL`)],
      [75, (db) => addEntry(db, 1, 'update', 'monitoring the replicas')],
      [80, (db) => exec(db, sql`UPDATE incidents SET title = 'Checkout down after deploy' WHERE id = 1`)],
      [100, (db) => addEntry(db, 1, 'resolved', 'raised the pool size')],
    ]);
    try {
      for (const engine of ENGINES) {
        await insertIncident(fresh[engine].db, 1, 'Checkout failing after deploy', { summary: 'Cards declined at checkout', service: 'payments' });
        await insertIncident(fresh[engine].db, 2, 'Checkout latency', { service: 'payments' });
        await insertIncident(fresh[engine].db, 3, 'Redis evictions', { service: 'sessions' });
      }
      let appended = 0;
      for (let i = 1; i <= 130; i += 1) {
        const write = special.get(i) ?? ((db: Db) => addEntry(db, 1, i % 9 === 0 ? 'message' : 'note', noteText(i), i));
        for (const engine of ENGINES) await write(fresh[engine].db);
        const index = { sqlite: await indexed('sqlite'), postgres: await indexed('postgres') };
        expect(index.postgres, `step ${i}`).toEqual(index.sqlite);
        for (const row of await kept()) {
          expect({ notes: row.notes, terms: row.terms, notesTerms: row.notesTerms }, `step ${i}, incident ${row.id}`).toEqual({ notes: row.gathered, terms: row.restemmed, notesTerms: row.notesRestemmed });
          if (row.lastWord !== null) expect(row.lastWord, `step ${i}, incident ${row.id}`).toBe(row.lastWordCounted);
          if (row.id === 1 && row.lastWord !== null) appended += 1;
        }
      }
      // Most notes took the appending path (a full re-index leaves the last word uncounted).
      expect(appended).toBeGreaterThan(50);

      // Not the Greek words: FTS5 folds a final sigma (ς) to σ where relevance.ts keeps it, on SQLite alone.
      const asked = ['Checkout failing pgbouncer', 'redis evictions', 'kafka consumer lag', 'failing over to the replica', 'an early note rewritten', `${noteText(120)}`, 'café, leading and trailing', 'three at once', 'pool too small'];
      for (const query of asked) {
        const similar = { sqlite: await similarOn(fresh.sqlite.db, 99, query, { includePrivate: true, service: 'payments' }), postgres: await similarOn(pg, 99, query, { includePrivate: true, service: 'payments' }) };
        expect(similar.postgres, query).toEqual(similar.sqlite);
      }
      expect((await similarOn(pg, 99, 'failing over to the replica')).map((r) => r.id)).toContain(1);
      const stems = [...new Set(asked.flatMap((q) => queryWords(q).map((w) => w.stem)))];
      expect(await documentsWith(pg, 'incident', stems)).toEqual(await documentsWith(fresh.sqlite.db, 'incident', stems));
    } finally {
      for (const opened of Object.values(fresh)) await opened.close();
    }
  }, 120_000);

  it('ask Postgres for what FTS5 is asked: the MATCH’s words, stemmed, joined by OR or AND', () => {
    expect(pgQuery('"timeouts" OR "payments"')).toEqual({ tsquery: "('timeout') | ('payment')", stems: new Set(['timeout', 'payment']) });
    expect(pgQuery('"errors" AND "checkout"')).toEqual({ tsquery: "('error') & ('checkout')", stems: new Set(['error', 'checkout']) });
  });
});

describe('Postgres’s search tables', () => {
  it('split and stem in SQL exactly as relevance.ts does in JS, where Postgres’s own stemmers differ', async () => {
    const text = [
      ...CORPUS.flatMap((r) => [r.title, r.summary, r.body, ...r.headings, ...r.alerts, ...r.tags]),
      'Technology deployed, possibly responsibly: apologies for the topology of d726a177ed (ies).',
      'Café-latte 5xx/502 Crème brûlée ΟΔΟΣ Straße İstanbul हिंदी 東京 ½ x² ①',
    ].join('\n');
    const rows = await many<{ word: string; stem: string }>(dbOf('postgres'), sql`SELECT word, search_stem(word) AS stem FROM search_words(${text}) ORDER BY n`);
    expect(rows.map((r) => r.word)).toEqual(tokens(text));
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.filter((r) => r.stem !== stemOf(r.word))).toEqual([]);
    const english = await many<{ stem: string }>(dbOf('postgres'), sql`SELECT (ts_lexize('english_stem', 'deployed'))[1] AS stem`);
    expect([english[0]?.stem, stemOf('deployed')]).toEqual(['deploy', 'deploi']);
  });

  it('index a pasted log within a tsvector’s bounds: the insert succeeds, its first words are found, the last ones not', async () => {
    const { db, close } = await openEngine('postgres');
    try {
      const frames = Array.from({ length: 6000 }, (_, i) => `frame${i}x${'0123456789abcdef'.repeat(2)}`);
      await insertIncident(db, 1, 'Worker crash loop');
      await addEntry(db, 1, 'note', `zeppelin ${frames.join(' ')}`);
      expect((await similarOn(db, 2, 'Zeppelin')).map((r) => r.id)).toEqual([1]);
      // SQLite's FTS5 indexes every word; here the first 200,000 characters, and 128 kB of distinct stems of them.
      expect(await documentsWith(db, 'incident', [frames[0]!, frames.at(-1)!])).toEqual(new Map([[frames[0]!, 1], [frames.at(-1)!, 0]]));
    } finally {
      await close();
    }
  });

  it('stem the whole notes again where a note appended to them reaches a bound of search_vector, and give what that gives', async () => {
    const { db, close } = await openEngine('postgres');
    const distinct = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`).join(' ');
    // Each first note stays within every bound; the second takes the notes past one: 16,383 places, 128 kB of
    // distinct stems (11 bytes each), 200,000 characters.
    const cases: [string, string, string][] = [
      ['w '.repeat(16_370), 'a b c d e f g h i j', "'j'"],
      [distinct('z', 11_400), distinct('q', 300), "'q0000299'"],
      ['abcdefghijklmnopqrstuvwxyz0123456789 '.repeat(5404), 'tail words here and more words after it', "'after'"],
    ];
    try {
      for (const [i, [first, second]] of cases.entries()) {
        await insertIncident(db, i + 1, `Pasted log ${i + 1}`);
        await addEntry(db, i + 1, 'note', first);
        await addEntry(db, i + 1, 'note', 'appended within the bounds');
        await addEntry(db, i + 1, 'note', second);
      }
      const rows = await many<{ terms: string; restemmed: string }>(db, sql`SELECT notes_terms::text AS terms, search_vector(notes, 'D')::text AS restemmed FROM incident_search ORDER BY id`);
      expect(rows.map((r) => r.terms === r.restemmed)).toEqual([true, true, true]);
      // The cut left out the second note's last words.
      expect(rows.map((r, i) => r.terms.includes("'append'") && !r.terms.includes(cases[i]![2]))).toEqual([true, true, true]);
    } finally {
      await close();
    }
  }, 60_000);

  it('keep appending to the notes of incidents indexed before the appending migration', async () => {
    const scratch = await scratchDatabase();
    const tmp = tempDir();
    try {
      await migrateOnly(scratch.url, tmp.dir, 2);
      const before = await openPostgres(scratch.url, { migrate: false });
      await insertIncident(before.db, 1, 'Search results stale', { service: 'search' });
      await addEntry(before.db, 1, 'note', 'indexing queue lag');
      await addEntry(before.db, 1, 'update', 'scaling the consumers');
      await before.close();

      const after = await openKlaxonDatabase(scratch.url);
      try {
        const kept = () =>
          many<{ terms: string; restemmed: string; lastWord: number | null }>(
            after.db,
            sql`SELECT terms::text AS terms, notes_last_word AS "lastWord",
                       (search_vector(title, 'A') || search_vector(summary, 'C') || search_vector(service, 'C') || search_vector(notes, 'D')
                         || search_vector(root_cause, 'B') || search_vector(whys, 'C'))::text AS restemmed
                FROM incident_search`,
          );
        expect((await kept())[0]?.lastWord).toBeNull();
        for (const note of ['consumer group rebalanced', 'lag back to zero']) {
          await addEntry(after.db, 1, 'note', note);
          const [row] = await kept();
          expect(row?.terms).toBe(row?.restemmed);
        }
        // The second note was appended (the first stemmed the notes again, as the row had no per-field stems yet).
        expect((await kept())[0]?.lastWord).toBe(13);
        expect((await similarOn(after.db, 2, 'Consumer group rebalanced')).map((r) => r.id)).toEqual([1]);
      } finally {
        await after.close();
      }
    } finally {
      tmp.remove();
      await scratch.drop();
    }
  });

  it('fill the search tables from the rows written before the migration', async () => {
    const scratch = await scratchDatabase();
    const tmp = tempDir();
    try {
      await migrateOnly(scratch.url, tmp.dir, 1);
      const before = await openPostgres(scratch.url, { migrate: false });
      await exec(before.db, before.db.insert(runbooks).values({ slug: 'queue-backlog', path: 'queue-backlog.md', title: 'Indexing queue backlog', summary: '', services: [], tags: ['queue', 'kafka'], alerts: ['IndexingQueueLag'], owner: null, lastReviewed: null, body: 'Scale the consumer group.', headings: ['Measure the lag'], contentHash: 'h', indexedAt: 0 }));
      await insertIncident(before.db, 1, 'Search results stale', { service: 'search' });
      await addEntry(before.db, 1, 'note', 'indexing queue lag');
      await addEntry(before.db, 1, 'resolved', 'scaled the consumers');
      await addPostmortem(before.db, 1, 'consumer group rebalanced', 'a deploy restarted them all');
      await before.close();

      const after = await openKlaxonDatabase(scratch.url);
      try {
        const rows = await many(after.db, sql`SELECT id, service, notes, root_cause AS "rootCause", whys FROM incident_search`);
        expect(rows).toEqual([{ id: 1, service: 'search', notes: 'scaled the consumers\nindexing queue lag', rootCause: 'consumer group rebalanced', whys: 'a deploy restarted them all' }]);
        expect(await many(after.db, sql`SELECT alerts, tags, headings FROM runbook_search`)).toEqual([{ alerts: 'IndexingQueueLag', tags: 'queue\nkafka', headings: 'Measure the lag' }]);
        expect((await searchRunbooks(after.db, 'consumer group', 5)).map((h) => h.runbook.slug)).toEqual(['queue-backlog']);
        expect((await similarOn(after.db, 2, 'Consumer group rebalanced')).map((r) => r.id)).toEqual([1]);
      } finally {
        await after.close();
      }
    } finally {
      tmp.remove();
      await scratch.drop();
    }
  });
});

/** Applies only the first `count` Postgres migrations, as a database made before the next one has them (1: the tables before search). */
async function migrateOnly(url: string, dir: string, count: number): Promise<void> {
  const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const entries = journal.entries.slice(0, count);
  mkdirSync(join(dir, 'meta'));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) copyFileSync(join(PG_MIGRATIONS, `${tag}.sql`), join(dir, `${tag}.sql`));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle(client), { migrationsFolder: dir });
  } finally {
    await client.end();
  }
}
