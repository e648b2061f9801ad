/**
 * Similar-incident search over a large history: the query Klaxon runs on every declaration
 * (knowledge/search.ts similarIncidents) against the naive FTS5 queries, on 10,000 and 100,000 synthetic
 * incidents written with an operations vocabulary whose word frequencies are skewed like real titles (a few
 * words such as "errors" or "api" everywhere, most words rare).
 *
 * For each size: the time to build the database (the FTS triggers run on every insert), its size, then 1,000
 * seeded queries through each method after a warm-up, with p50/p90/p99/max latency and how many results they
 * return.
 *
 *   npm run bench:similar -- [--sizes 10000,100000] [--queries 1000] [--seed 42] [--keep]
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database_ } from '../src/core/db.ts';
import { similarIncidents, weighedQuery } from '../src/knowledge/search.ts';
import { rankIncidents } from '../src/knowledge/ranking.ts';
import { incidentCandidates } from '../src/knowledge/store.ts';
import { tokens } from '../src/knowledge/relevance.ts';
import { seededRandom } from './seeded-random.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, queries: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' }, keep: { type: 'boolean', default: false } } });
const SIZES = values.sizes.split(',').map(Number);
const QUERIES = Number(values.queries);
const WARMUP = 100;

// ------------------------------------------------------------------------------------------- vocabulary

const SERVICES = ['payments', 'checkout', 'search', 'auth', 'ledger', 'notifications', 'billing', 'catalog', 'orders', 'shipping', 'inventory', 'accounts', 'gateway', 'reporting', 'mobile', 'web'];
const FILLER = ['errors', 'api', 'high', 'service', 'issue', 'users', 'failing', 'slow', 'production', 'requests', 'customers', 'degraded', 'intermittent', 'elevated', 'outage', 'partial'];
const COMPONENTS = [
  'database', 'postgres', 'connection', 'pool', 'redis', 'cache', 'kafka', 'queue', 'consumer', 'load', 'balancer', 'dns', 'resolver', 'certificate', 'tls', 'cdn',
  'gateway', 'kubernetes', 'node', 'pod', 'disk', 'memory', 'cpu', 'network', 'vpc', 'ingress', 'proxy', 'replica', 'primary', 'shard', 'index', 'cluster',
  'scheduler', 'cron', 'worker', 'lambda', 'bucket', 's3', 'storage', 'volume', 'firewall', 'vpn', 'sso', 'oauth', 'token', 'session', 'cookie', 'webhook',
  'elasticsearch', 'opensearch', 'rabbitmq', 'memcached', 'nginx', 'envoy', 'istio', 'terraform', 'helm', 'jenkins', 'pipeline', 'registry', 'image', 'container',
];
const SYMPTOMS = [
  '5xx', '502', '503', '504', 'timeouts', 'latency', 'crash', 'loop', 'oom', 'killed', 'lag', 'backlog', 'stale', 'results', 'health', 'checks', 'spike',
  'saturation', 'exhausted', 'expired', 'unreachable', 'refused', 'dropped', 'duplicate', 'missing', 'corrupted', 'throttled', '429', 'deadlock', 'leak', 'full',
  'flapping', 'unavailable', 'rejected', 'declined', 'delayed', 'stuck', 'hanging', 'retries', 'storm', 'split', 'brain', 'drift', 'skew', 'evictions',
];
const CAUSES = [
  'deploy', 'rollout', 'config', 'change', 'dependency', 'upgrade', 'migration', 'schema', 'traffic', 'noisy', 'neighbour', 'failover', 'maintenance', 'rotation',
  'quota', 'limit', 'regression', 'hotfix', 'release', 'flag', 'rollback', 'patch', 'kernel', 'certificate', 'renewal', 'provider', 'vendor', 'region', 'zone',
];
/** Rare words: hostnames, customers, error codes, regions, as real titles carry. */
const RARE = [
  ...Array.from({ length: 400 }, (_, i) => `node${i + 1}`),
  ...Array.from({ length: 300 }, (_, i) => `acme${i + 1}`),
  ...Array.from({ length: 200 }, (_, i) => `err${1000 + i * 7}`),
  ...['eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-1', 'eu-central-1'].flatMap((r) => [r, `${r}a`, `${r}b`]),
];
const VOCABULARY = [...FILLER, ...SERVICES, ...SYMPTOMS, ...COMPONENTS, ...CAUSES, ...RARE];

/** Zipf-like: the word at rank r is drawn with weight 1 / r. */
function zipfSampler(words: readonly string[], rand: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  words.forEach((_, r) => cumulative.push((total += 1 / (r + 1))));
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

interface Synthetic {
  title: string;
  summary: string;
  serviceId: string;
}

function generator(seed: number): { incident(): Synthetic; note(): string; rand(): number } {
  const rand = seededRandom(seed);
  const word = zipfSampler(VOCABULARY, rand);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const words = (min: number, max: number): string[] => Array.from({ length: min + Math.floor(rand() * (max - min + 1)) }, word);
  return {
    rand,
    incident() {
      const serviceId = pick(SERVICES);
      const title = [serviceId, pick(SYMPTOMS), ...words(2, 8)].join(' ');
      const summary = rand() < 0.7 ? `Since the ${pick(CAUSES)}, ${words(6, 14).join(' ')}.` : '';
      return { title: title.charAt(0).toUpperCase() + title.slice(1), summary, serviceId };
    },
    note: () => `${pick(['Rolled back', 'Restarted', 'Scaled', 'Failed over', 'Paused', 'Drained'])} ${words(4, 10).join(' ')}.`,
  };
}

// ------------------------------------------------------------------------------------------- building

function build(size: number, file: string): { database: Database_; seconds: number } {
  const database = openDatabase(file);
  const gen = generator(Number(values.seed));
  const { sqlite } = database;
  const insertIncident = sqlite.prepare(
    'INSERT INTO incidents (title, summary, severity, status, service_id, is_private, is_drill, declared_by, declared_at, resolved_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertNote = sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, text, recorded_at) VALUES (?, 'note', ?, ?, ?)");
  const start = performance.now();
  const base = Date.parse('2020-01-01T00:00:00Z');
  for (let done = 0; done < size; ) {
    sqlite.transaction(() => {
      for (let i = 0; i < 1000 && done < size; i += 1, done += 1) {
        const inc = gen.incident();
        const at = base + done * 30 * 60_000;
        const status = gen.rand() < 0.97 ? 'resolved' : 'monitoring';
        const id = Number(insertIncident.run(inc.title, inc.summary, 'sev3', status, inc.serviceId, gen.rand() < 0.05 ? 1 : 0, gen.rand() < 0.02 ? 1 : 0, 'U0BENCH', at, status === 'resolved' ? at + 3_600_000 : null, at).lastInsertRowid);
        const notes = Math.floor(gen.rand() * 4);
        for (let n = 0; n < notes; n += 1) insertNote.run(id, at + n * 60_000, gen.note(), at);
      }
    })();
  }
  const seconds = (performance.now() - start) / 1000;
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { database, seconds };
}

// ------------------------------------------------------------------------------------------- querying

interface Method {
  name: string;
  run(q: Synthetic): Promise<number>;
}

function methods(database: Database_): Method[] {
  const { db, sqlite } = database;
  const naive = (joiner: string) => {
    const statement = sqlite.prepare(
      `SELECT s.rowid FROM incident_search s JOIN incidents i ON i.id = s.rowid
       WHERE incident_search MATCH ? AND i.is_drill = 0 AND i.is_private = 0 ORDER BY bm25(incident_search) LIMIT 3`,
    );
    return async (q: Synthetic): Promise<number> => {
      const words = [...new Set(tokens(`${q.title} ${q.summary}`))];
      return words.length ? statement.all(words.map((w) => `"${w}"`).join(joiner)).length : 0;
    };
  };
  return [
    { name: 'klaxon (similarIncidents)', run: async (q) => (await similarIncidents(db, { id: 0, title: q.title, summary: q.summary, serviceId: q.serviceId }, { includePrivate: false })).length },
    { name: 'naive OR of every word', run: naive(' OR ') },
    { name: 'naive AND of every word', run: naive(' AND ') },
  ];
}

interface Figures {
  method: string;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  results: Record<number, number>;
}

async function measure(method: Method, queries: readonly Synthetic[]): Promise<Figures> {
  for (const q of queries.slice(0, WARMUP)) await method.run(q);
  const times: number[] = [];
  const results: Record<number, number> = { 0: 0, 1: 0, 2: 0, 3: 0 };
  for (const q of queries) {
    const t0 = performance.now();
    const n = await method.run(q);
    times.push(performance.now() - t0);
    results[n] = (results[n] ?? 0) + 1;
  }
  times.sort((a, b) => a - b);
  const at = (p: number): number => round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
  return { method: method.name, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(times.at(-1)!), results };
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Queries compared with an exhaustive search (slow: every incident sharing a word is scored). */
const QUALITY_QUERIES = 200;

/**
 * What the candidate limits cost in answers, against an exhaustive search (every incident sharing a word with
 * the query, up to 20,000, scored the same way): how often Klaxon finds nothing where the exhaustive search
 * finds something, and how often its best match is as good as the exhaustive search's best.
 */
async function quality(database: Database_, queries: readonly Synthetic[]): Promise<{ compared: number; exhaustiveAnswers: number; missed: number; sameBest: number; bestScoreRatio: number }> {
  let exhaustiveAnswers = 0;
  let missed = 0;
  let sameBest = 0;
  let ratio = 0;
  for (const q of queries.slice(0, QUALITY_QUERIES)) {
    const incident = { id: 0, title: q.title, summary: q.summary, serviceId: q.serviceId };
    const ours = await similarIncidents(database.db, incident, { includePrivate: false });
    const { words } = await weighedQuery(database.db, 'incident', `${q.title}\n${q.summary}`);
    const match = words.filter((w) => w.docs > 0).map((w) => `"${w.word}"`).join(' OR ');
    const all = match ? rankIncidents(words, await incidentCandidates(database.db, match, { excludeId: 0, includePrivate: false, limit: 20_000 }), q.serviceId) : [];
    if (all.length === 0) continue;
    exhaustiveAnswers += 1;
    if (ours.length === 0) missed += 1;
    const best = all[0]!.score;
    const ourBest = ours[0]?.score ?? 0;
    if (ourBest >= best - 1e-9) sameBest += 1;
    ratio += ourBest / best;
  }
  return { compared: Math.min(QUALITY_QUERIES, queries.length), exhaustiveAnswers, missed, sameBest, bestScoreRatio: exhaustiveAnswers ? round(ratio / exhaustiveAnswers) : 1 };
}

// ------------------------------------------------------------------------------------------- run

const dir = join(tmpdir(), `klaxon-bench-similar-${process.pid}`);
mkdirSync(dir, { recursive: true });
const report: Record<string, unknown>[] = [];
for (const size of SIZES) {
  const file = join(dir, `similar-${size}.db`);
  rmSync(file, { force: true });
  const { database, seconds } = build(size, file);
  const bytes = statSync(file).size;
  const ftsBytes = (database.sqlite.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'incident_search%'").pluck().get() as number | undefined) ?? 0;
  const gen = generator(Number(values.seed) + 1);
  const queries = Array.from({ length: QUERIES }, () => gen.incident());
  // One method at a time: they are timed.
  const figures: Figures[] = [];
  for (const m of methods(database)) figures.push(await measure(m, queries));
  const answers = await quality(database, queries);
  database.close();
  if (!values.keep) rmSync(file, { force: true });

  console.log(`\n${size.toLocaleString('en')} incidents: built in ${seconds.toFixed(1)} s (${Math.round(size / seconds).toLocaleString('en')}/s), database ${(bytes / 1e6).toFixed(1)} MB, FTS index ${(ftsBytes / 1e6).toFixed(1)} MB`);
  console.log(`  ${'method'.padEnd(28)} ${'p50'.padStart(7)} ${'p90'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}   answers with 0 / 1 / 2 / 3 results`);
  for (const f of figures) {
    console.log(`  ${f.method.padEnd(28)} ${`${f.p50}`.padStart(7)} ${`${f.p90}`.padStart(7)} ${`${f.p99}`.padStart(7)} ${`${f.max}`.padStart(7)}   ${[0, 1, 2, 3].map((n) => f.results[n] ?? 0).join(' / ')}`);
  }
  console.log(
    `  against an exhaustive search, first ${answers.compared} queries: it answers ${answers.exhaustiveAnswers}; Klaxon answers nothing to ${answers.missed} of those, ` +
      `finds the same best match for ${answers.sameBest}, and its best match scores ${Math.round(answers.bestScoreRatio * 100)}% of the exhaustive best on average`,
  );
  report.push({ size, buildSeconds: round(seconds), databaseBytes: bytes, ftsBytes, queries: QUERIES, figures, quality: answers });
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`\ndatabases kept in ${dir}`);

mkdirSync('bench/results', { recursive: true });
const out = join('bench/results', `similar-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, report }, null, 2)}\n`);
console.log(`\nlatencies in ms; figures written to ${out}`);
