/**
 * Ranking on a fixed corpus, through the real FTS5 index (an in-memory database with the real migrations):
 * which runbooks an incident links, where "relevant" stops, stemming, and which past incidents are similar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database_ } from '../../../src/core/db.ts';
import { insertRunbook } from '../../../src/knowledge/store.ts';
import { runbooksForIncident, searchRunbooks, similarIncidents } from '../../../src/knowledge/search.ts';
import { queryWords, relevance, stemOf, tokens, weighWords } from '../../../src/knowledge/relevance.ts';
import { rankRunbooks } from '../../../src/knowledge/ranking.ts';
import type { Runbook } from '../../../src/knowledge/runbook.ts';

function runbook(slug: string, fields: Partial<Runbook> & { title: string }): Runbook {
  return { slug, path: `${slug}.md`, summary: '', services: [], tags: [], alerts: [], owner: null, lastReviewed: '2026-10-01', body: '', headings: [], ...fields };
}

const CORPUS: Runbook[] = [
  runbook('payments-5xx-spike', {
    title: 'Payments API 5xx spike',
    summary: 'The payments API answers with server errors: checkout fails for customers.',
    services: ['payments'],
    tags: ['payments', 'http'],
    alerts: ['PaymentsHigh5xxRate', 'checkout errors'],
    headings: ['Symptoms', 'Diagnose', 'Roll back the last deploy'],
    body: 'Check the error rate per endpoint. If a deploy went out in the last hour, roll it back first.',
  }),
  runbook('database-connection-pool-exhausted', {
    title: 'Database connection pool exhausted',
    summary: 'Requests wait for a database connection and time out.',
    services: ['payments', 'search'],
    tags: ['database', 'postgres'],
    alerts: ['DBPoolExhausted', 'connection timeout'],
    headings: ['Symptoms', 'Find the sessions holding connections', 'Mitigate'],
    body: 'Look at pg_stat_activity for idle in transaction sessions. Raise the pool size only as a last resort.',
  }),
  runbook('certificate-expiry', {
    title: 'TLS certificate expiry',
    summary: 'A certificate has expired or is about to: clients fail the TLS handshake.',
    tags: ['tls', 'certificates'],
    alerts: ['CertificateExpiringSoon', 'ssl handshake failed'],
    headings: ['Check the chain', 'Renew'],
    body: 'Use openssl s_client to see the dates. Renew through the ACME client and reload the proxy.',
  }),
  runbook('dns-resolution-failure', {
    title: 'DNS resolution failure',
    summary: 'Names do not resolve: lookups time out or answer NXDOMAIN.',
    tags: ['dns', 'network'],
    alerts: ['DNSLookupFailures', 'NXDOMAIN'],
    headings: ['Diagnose with dig', 'Fail over the resolver'],
    body: 'Run dig against each resolver. Check recent changes to the zone.',
  }),
  runbook('queue-backlog', {
    title: 'Indexing queue backlog',
    summary: 'The search indexing queue grows faster than consumers drain it.',
    services: ['search'],
    tags: ['queue', 'kafka'],
    alerts: ['IndexingQueueLag'],
    headings: ['Measure the lag', 'Scale the consumers'],
    body: 'Check consumer lag per partition and scale the consumer group.',
  }),
];

let database: Database_;
const noService = { serviceId: null, serviceTags: [] };
const linked = async (title: string, context: { serviceId: string | null; serviceTags: string[] } = noService): Promise<string[]> =>
  (await runbooksForIncident(database.db, { id: 0, title, summary: '', serviceId: context.serviceId }, context)).map((r) => r.runbook.slug);

beforeAll(async () => {
  database = openDatabase(':memory:');
  for (const [i, r] of CORPUS.entries()) await insertRunbook(database.db, r, `hash-${i}`, 0);
});
afterAll(() => database.close());

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
    const hits = await linked('Checkout timeouts');
    expect(hits).toContain('database-connection-pool-exhausted');
  });

  it('falls back to the service’s runbooks when the words match none, after relevant ones', async () => {
    expect(await linked('Something odd', { serviceId: 'search', serviceTags: [] })).toEqual(['database-connection-pool-exhausted', 'queue-backlog']);
  });

  it('counts a shared runbook tag from klaxon.yml as written for the service', async () => {
    expect(await linked('Card declines up', { serviceId: 'billing', serviceTags: ['kafka'] })).toEqual(['queue-backlog']);
  });

  it('links at most three, and not the ones that share one word of many', async () => {
    expect(await linked('payments database connection timeout certificate dns queue backlog', { serviceId: 'payments', serviceTags: [] })).toEqual(['database-connection-pool-exhausted', 'payments-5xx-spike']);
    const alike = [1, 2, 3, 4, 5].map((n) => runbook(`disk-${n}`, { title: `Disk full on host ${n}` }));
    const words = weighWords(queryWords('Disk full'), new Map([['disk', 5], ['full', 5]]), 5);
    expect(rankRunbooks(words, alike, noService).map((r) => r.runbook.slug)).toEqual(['disk-1', 'disk-2', 'disk-3']);
  });
});

describe('runbook search', () => {
  it('answers with the best runbooks and a snippet marking the matching words', async () => {
    const hits = await searchRunbooks(database.db, 'pg_stat_activity idle sessions', 5);
    expect(hits[0]?.runbook.slug).toBe('database-connection-pool-exhausted');
    expect(hits[0]?.snippet).toContain('\uE000');
  });

  it('finds nothing for words no runbook has', async () => {
    expect(await searchRunbooks(database.db, 'zebra giraffe', 5)).toEqual([]);
  });
});

describe('relevance (pure)', () => {
  it('weighs a word by rarity and by the field it is found in', () => {
    const words = weighWords(queryWords('payments timeout'), new Map([['payment', 1], ['timeout', 1]]), 10);
    const inTitle = relevance(words, [{ text: 'Payments timeout', weight: 1 }]);
    const inBody = relevance(words, [{ text: 'payments timeout', weight: 0.35 }]);
    const half = relevance(words, [{ text: 'payments', weight: 1 }]);
    expect(inTitle.score).toBeCloseTo(1);
    expect(inBody.score).toBeCloseTo(0.35);
    expect(half.score).toBeCloseTo(0.5);
    expect(half.matched).toEqual(['payments']);
  });

  it('drops stopwords and splits as FTS5 does, accents removed', () => {
    expect(queryWords('The API is down for all of the users').map((w) => w.word)).toEqual(['api', 'users']);
    expect(tokens('Café-latte 5xx/502')).toEqual(['cafe', 'latte', '5xx', '502']);
  });

  it('stems exactly as FTS5’s porter tokenizer does for every word of the corpus', () => {
    const words = [...new Set(CORPUS.flatMap((r) => tokens([r.title, r.summary, r.body, ...r.headings, ...r.alerts, ...r.tags].join(' '))))];
    const sqlite = database.sqlite;
    sqlite.exec("CREATE VIRTUAL TABLE stem_check USING fts5(w, tokenize = 'porter unicode61'); CREATE VIRTUAL TABLE stem_check_vocab USING fts5vocab(stem_check, 'row');");
    const insert = sqlite.prepare('INSERT INTO stem_check (w) VALUES (?)');
    const lookup = sqlite.prepare('SELECT term FROM stem_check_vocab').pluck();
    const mismatches = words.filter((w) => {
      sqlite.exec('DELETE FROM stem_check');
      insert.run(w);
      return lookup.get() !== stemOf(w);
    });
    expect(words.length).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
  });

  it('ranks a runbook with no shared word below the threshold out', () => {
    const words = weighWords(queryWords('printer jammed'), new Map(), 5);
    expect(rankRunbooks(words, CORPUS, noService)).toEqual([]);
  });
});

describe('similar past incidents', () => {
  let similar: Database_;
  const insertIncident = (id: number, title: string, extra: { service?: string; private?: boolean; drill?: boolean; summary?: string } = {}): void => {
    similar.sqlite
      .prepare('INSERT INTO incidents (id, title, summary, severity, status, service_id, is_private, is_drill, declared_by, declared_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, title, extra.summary ?? '', 'sev2', 'resolved', extra.service ?? null, extra.private ? 1 : 0, extra.drill ? 1 : 0, 'U0ALICE', id * 1000, id * 1000);
  };
  const find = async (id: number, title: string, opts: { includePrivate?: boolean; service?: string } = {}): Promise<number[]> =>
    (await similarIncidents(similar.db, { id, title, summary: '', serviceId: opts.service ?? null }, { includePrivate: opts.includePrivate ?? false })).map((r) => r.id);

  beforeAll(() => {
    similar = openDatabase(':memory:');
    insertIncident(1, 'Payments API returning 502 after deploy', { service: 'payments' });
    insertIncident(2, 'Search results stale: indexing queue lag', { service: 'search' });
    insertIncident(3, 'Payments 502s during load test', { service: 'payments', drill: true });
    insertIncident(4, 'Payments API 502 errors for card checkout', { service: 'payments', private: true });
    insertIncident(5, 'Login page slow');
    similar.sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, text, recorded_at) VALUES (5, 'note', 5000, 'Redis evictions filled the session cache', 5000)").run();
    for (let i = 6; i <= 40; i += 1) insertIncident(i, `Routine maintenance window ${i}`);
    insertIncident(41, 'Payments API returning 502 errors again', { service: 'payments' });
  });
  afterAll(() => similar.close());

  it('lists the past incident worded like this one, never itself, never a drill, never a private one unless asked', async () => {
    expect(await find(41, 'Payments API returning 502 errors again', { service: 'payments' })).toEqual([1]);
    expect(await find(41, 'Payments API returning 502 errors again', { service: 'payments', includePrivate: true })).toEqual([4, 1]);
  });

  it('finds an incident through the words of its notes', async () => {
    expect(await find(42, 'Session cache evictions')).toEqual([5]);
  });

  it('lists nothing for an unrelated title', async () => {
    expect(await find(42, 'Office coffee machine broken')).toEqual([]);
  });
});
