/**
 * Acknowledgement latency of /incident declare, Klaxon against a bare @slack/bolt app, in the same run.
 *
 * Each server runs in its own process (pinned to CPU 1 when taskset exists) against the fake Slack at zero
 * latency (in this process); a separate load process (CPU 0) sends the same signed slash commands at a fixed
 * rate, open loop. For Klaxon it also reports the time from each command to its summary being posted.
 *
 *   npm run bench:ack -- [--rate 200] [--seconds 20] [--warmup 2] [--rounds 1]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChildApp, type ChildApp } from '../test/support/child-app.ts';
import type { Sample } from './loadgen.ts';
import { BENCH_SECRET, cpuPlacement, percentile, startBenchSlack } from './setup.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '20' }, warmup: { type: 'string', default: '2' }, rounds: { type: 'string', default: '1' }, cpus: { type: 'string', default: 'split' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const SECRET = BENCH_SECRET;
const { pinned: pin, onCpu } = cpuPlacement(values.cpus);

const slack = await startBenchSlack();
const work = mkdtempSync(join(tmpdir(), 'klaxon-bench-'));
function summarise(latencies: number[]): { n: number; p50: number; p99: number; p999: number; max: number } {
  const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9), max: sorted.at(-1) ?? Number.NaN };
}

async function startServer(kind: 'klaxon' | 'bare', round: number): Promise<ChildApp> {
  const env = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    KLAXON_DB: join(work, `klaxon-${round}.db`),
    KLAXON_CONFIG: join(work, 'none.yml'),
    INCIDENTS_CHANNEL: 'C0INCIDENTS',
    LOG_LEVEL: 'info',
  };
  return startChildApp(env, onCpu(1, [process.execPath, '--import', 'tsx', kind === 'klaxon' ? 'src/start.ts' : 'bench/bare-bolt.ts']));
}

async function load(port: number, label: string): Promise<Sample[]> {
  const count = Math.round(rate * (seconds + warmup));
  const urlsFile = join(work, `${label}-urls.json`);
  writeFileSync(urlsFile, JSON.stringify(Array.from({ length: count }, () => slack.createResponseUrl({ channel: 'C0GENERAL' }))));
  const out = join(work, `${label}.json`);
  const args = ['--import', 'tsx', 'bench/loadgen.ts', '--url', `http://127.0.0.1:${port}/slack/events`, '--rate', String(rate), '--seconds', String(seconds), '--warmup', String(warmup), '--secret', SECRET, '--response-urls', urlsFile, '--out', out, '--label', label];
  const [command, ...rest] = onCpu(0, [process.execPath, ...args]);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loadgen exited with ${code}`))));
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Sample[];
}

/** Command → summary posted, from the fake's record of chat.postMessage calls carrying the outbox key. */
function summaryLatencies(samples: Sample[]): number[] {
  const postedAt = new Map<string, number>();
  for (const call of slack.calls('chat.postMessage')) {
    const key = (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
    if (call.ok && key?.startsWith('summary:')) postedAt.set(key, call.at);
  }
  return samples.filter((s) => s.incident !== undefined).map((s) => (postedAt.get(`summary:INC-${s.incident}`) ?? Number.NaN) - s.dueAt);
}

const results: Record<string, { ack: ReturnType<typeof summarise>; errors: number; summary?: ReturnType<typeof summarise> }[]> = { bare: [], klaxon: [] };
for (let round = 1; round <= Number(values.rounds); round += 1) {
  for (const kind of ['bare', 'klaxon'] as const) {
    const server = await startServer(kind, round);
    slack.resetCalls();
    const samples = await load(server.port, `${kind}-${round}`);
    let summary: ReturnType<typeof summarise> | undefined;
    if (kind === 'klaxon') {
      const deadline = Date.now() + 120_000;
      while (summaryLatencies(samples).some((l) => !Number.isFinite(l)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      summary = summarise(summaryLatencies(samples));
    }
    await server.kill('SIGTERM');
    results[kind]!.push({ ack: summarise(samples.map((s) => s.latencyMs)), errors: samples.filter((s) => s.status !== 200).length, ...(summary ? { summary } : {}) });
    console.log(JSON.stringify({ round, kind, ...results[kind]!.at(-1) }));
  }
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number): string => ms.toFixed(2);
const bare = results.bare!;
const klaxon = results.klaxon!;
const ratios = bare.map((b, i) => klaxon[i]!.ack.p99 / b.ack.p99);
const report = {
  date: new Date().toISOString(),
  node: process.version,
  rate,
  seconds,
  rounds: bare.length,
  pinned: pin,
  bare,
  klaxon,
  p99Ratio: median(ratios),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench/results', `ack-${report.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n| server | requests | errors | ack p50 | ack p99 | ack p99.9 | ack max | command → summary p50 / p99 |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, runs] of [['bare Bolt', bare], ['Klaxon', klaxon]] as const) {
  for (const r of runs) console.log(`| ${name} | ${r.ack.n} | ${r.errors} | ${fmt(r.ack.p50)} ms | ${fmt(r.ack.p99)} ms | ${fmt(r.ack.p999)} ms | ${fmt(r.ack.max)} ms | ${r.summary ? `${fmt(r.summary.p50)} / ${fmt(r.summary.p99)} ms` : '—'} |`);
}
console.log(`\nKlaxon / bare Bolt p99 ratio (median of rounds): ${report.p99Ratio.toFixed(2)}`);
await slack.close();
rmSync(work, { recursive: true, force: true });
