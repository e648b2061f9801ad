/**
 * From `/incident declare` to the runbooks and similar incidents being posted in the new channel: the real app
 * over signed HTTP, a real SQLite file with a history of past incidents, the example runbooks, and the fake
 * Slack at zero latency. Declarations go one after another, so each figure is one incident's own path:
 * the declare transaction, provisioning (channel, topic, summary, pin, announcement), then the suggestion job.
 *
 *   npm run bench:suggest -- [--incidents 200] [--history 1000] [--seed 42]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { onSqliteConnection } from '../src/core/db.ts';
import { startHarness } from '../test/support/harness.ts';
import { seededRandom } from './seeded-random.ts';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '200' }, history: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' } } });
const INCIDENTS = Number(values.incidents);
const HISTORY = Number(values.history);
const rand = seededRandom(Number(values.seed));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const TITLES = [
  'Payments API returning 502 for card checkout',
  'Checkout errors after the payments deploy',
  'Database connection pool exhausted on payments',
  'Connection timeouts from search to postgres',
  'Search indexing queue lag growing, results stale',
  'TLS certificate expired on api.example.com',
  'NXDOMAIN for internal service names',
  'Errors after upgrading the HTTP client library',
];
const WORDS = ['payments', 'search', 'checkout', 'database', 'queue', 'certificate', 'dns', 'deploy', 'latency', 'errors', 'timeouts', 'redis', 'kafka', 'node17', 'eu-west-1', 'upgrade'];

const runbooks = Object.fromEntries(readdirSync('runbooks').filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join('runbooks', f), 'utf8')]));
const h = await startHarness({ runbooks, klaxonYml: 'timezone: UTC\nservices:\n  - { id: payments, name: Payments API }\n  - { id: search, name: Search }\n' });
try {
  // The history is written straight to the SQLite file, in one transaction.
  await onSqliteConnection(h.klaxon.database.db, (sqlite) => {
    const insert = sqlite.prepare(
      "INSERT INTO incidents (title, summary, severity, status, service_id, declared_by, declared_at, resolved_at, updated_at) VALUES (?, '', 'sev3', 'resolved', ?, 'U01ALICE', ?, ?, ?)",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < HISTORY; i += 1) {
        const at = Date.now() - (HISTORY - i) * 3_600_000;
        insert.run(`${pick(TITLES)} ${pick(WORDS)} ${pick(WORDS)}`, pick(['payments', 'search']), at, at + 1_800_000, at);
      }
    })();
  });

  const timings: number[] = [];
  let withRunbooks = 0;
  let withSimilar = 0;
  for (let n = 1; n <= INCIDENTS; n += 1) {
    const key = `suggest:INC-${HISTORY + n}`;
    const t0 = performance.now();
    await h.slash(`declare sev2 payments ${pick(TITLES)}`);
    const call = await h.waitFor(() => h.slack.calls('chat.postMessage').find((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === key), key);
    timings.push(performance.now() - t0);
    const text = String(call.args.text);
    if (text.includes('runbook')) withRunbooks += 1;
    if (text.includes('similar')) withSimilar += 1;
  }
  timings.sort((a, b) => a - b);
  const at = (p: number): number => Math.round(timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]! * 10) / 10;
  const figures = { incidents: INCIDENTS, history: HISTORY, runbooks: Object.keys(runbooks).length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), withRunbooks, withSimilar };
  console.log(`declare → suggestions posted, ${INCIDENTS} declarations over ${HISTORY} past incidents and ${figures.runbooks} runbooks (ms):`);
  console.log(`  p50 ${figures.p50}  p90 ${figures.p90}  p99 ${figures.p99}  max ${figures.max}`);
  console.log(`  messages listing runbooks: ${withRunbooks}, listing similar incidents: ${withSimilar}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(join('bench/results', `suggest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...figures }, null, 2)}\n`);
} finally {
  await h.close();
}
