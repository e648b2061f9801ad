/**
 * The timeline under a long incident: the real app over signed HTTP, a real SQLite file, the fake Slack at zero
 * latency. Measures (1) how long `/incident timeline` takes to answer when the incident already has thousands
 * of entries (it reads them all, then cuts a page), and (2) a :pushpin: reaction's path: the signed event's
 * HTTP answer, then the entry complete with the message's text and permalink (the fill job asks Slack).
 *
 *   npm run bench:timeline -- [--entries 5000] [--reads 200] [--pins 300]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { onSqliteConnection } from '../src/core/db.ts';
import { startHarness, USERS } from '../test/support/harness.ts';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '5000' }, reads: { type: 'string', default: '200' }, pins: { type: 'string', default: '300' } } });
const ENTRIES = Number(values.entries);
const READS = Number(values.reads);
const PINS = Number(values.pins);

function percentiles(samples: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

/** Polls every millisecond (the test harness's waitFor polls every 20 ms, too coarse to time this). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const h = await startHarness({ incidentsChannel: false });
try {
  await h.slash('declare sev2 Checkout returns 502');
  const channel = await h.waitFor(async () => (await h.rows<{ id: string }>(sql`select channel_id as id from incidents where id = 1 and provisioning = 'done'`))[0], 'INC-1').then((row) => row.id);
  const start = Date.now() - ENTRIES * 10_000;
  // The entries are written straight to the SQLite file, in one transaction.
  await onSqliteConnection(h.klaxon.database.db, (sqlite) => {
    const insert = sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, actor_id, text, recorded_at) VALUES (1, 'note', ?, ?, ?, ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < ENTRIES; i += 1) insert.run(start + i * 10_000, i % 2 ? USERS.bob : USERS.carol, `Step ${i}: checked the dashboards, error rate ${i % 50}% & falling`, start + i * 10_000);
    })();
  });

  const reads: number[] = [];
  for (let i = 0; i < READS; i += 1) {
    const t0 = performance.now();
    const answer = await h.slash('timeline', { channel });
    reads.push(performance.now() - t0);
    if (answer.status !== 200 || !answer.text.includes('Timeline of INC-1')) throw new Error(`unexpected answer: ${answer.status} ${answer.text.slice(0, 200)}`);
  }

  const acks: number[] = [];
  const complete: number[] = [];
  for (let i = 0; i < PINS; i += 1) {
    const said = h.slack.state.postAsUser(channel, USERS.bob, `Finding ${i}: the pool is exhausted`);
    const t0 = performance.now();
    const answer = await h.event({ type: 'reaction_added', user: USERS.alice, reaction: 'pushpin', item_user: USERS.bob, item: { type: 'message', channel, ts: said.ts } });
    acks.push(performance.now() - t0);
    if (answer.status !== 200) throw new Error(`event answered ${answer.status}`);
    const key = `message:${channel}:${said.ts}`;
    await until(async () => (await h.rows(sql`select 1 as found from timeline_events where key = ${key} and text is not null and permalink is not null`)).length > 0, key);
    complete.push(performance.now() - t0);
  }

  const figures = { entries: ENTRIES, reads: { count: READS, ...percentiles(reads) }, pinAck: { count: PINS, ...percentiles(acks) }, pinComplete: { count: PINS, ...percentiles(complete) } };
  console.log(`/incident timeline with ${ENTRIES} entries, ${READS} reads (ms): p50 ${figures.reads.p50}  p90 ${figures.reads.p90}  p99 ${figures.reads.p99}  max ${figures.reads.max}`);
  console.log(`:pushpin: event answered, ${PINS} pins (ms): p50 ${figures.pinAck.p50}  p90 ${figures.pinAck.p90}  p99 ${figures.pinAck.p99}  max ${figures.pinAck.max}`);
  console.log(`:pushpin: entry complete with text and permalink (ms): p50 ${figures.pinComplete.p50}  p90 ${figures.pinComplete.p90}  p99 ${figures.pinComplete.p99}  max ${figures.pinComplete.max}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(join('bench/results', `timeline-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...figures }, null, 2)}\n`);
} finally {
  await h.close();
}
