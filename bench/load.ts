/**
 * Load: 500 declarations, then 5,000 timeline notes spread over those incidents, sent as signed slash commands
 * open loop at fixed rates, to Klaxon and, in the same run, to a bare @slack/bolt app that only acks the same
 * requests. Each server is its own process (CPU 1 when taskset exists), the load another (CPU 0), the fake
 * Slack at zero latency in this one. For Klaxon it then waits for every incident to be set up and checks the
 * database: every incident complete, every note there once, no job failed, no SQLITE_BUSY in the log.
 *
 * Each phase starts with --warmup seconds of the same commands at the same rate, sent to both servers and not
 * recorded (the first requests of a fresh process run code not yet compiled); the checks count them too.
 *
 * Rounds alternate bare Bolt and Klaxon, each on a fresh database. The ratio reported is Klaxon's p99 over bare
 * Bolt's, each taken over all the acknowledgements of the run (every round); the median of the rounds' own ratios
 * is reported beside it.
 *
 *   npm run bench:load -- [--declares 500] [--declare-rate 50] [--notes 5000] [--note-rate 250] [--warmup 2] [--rounds 3] [--cpus split|shared]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startChildApp, type ChildApp } from '../test/support/child-app.ts';
import type { Sample } from './loadgen.ts';
import { BENCH_SECRET, cpuPlacement, percentile, startBenchSlack } from './setup.ts';

const { values } = parseArgs({
  options: {
    declares: { type: 'string', default: '500' },
    'declare-rate': { type: 'string', default: '50' },
    notes: { type: 'string', default: '5000' },
    'note-rate': { type: 'string', default: '250' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    cpus: { type: 'string', default: 'split' },
  },
});
const DECLARES = Number(values.declares);
const NOTES = Number(values.notes);
const WARMUP_SECONDS = Number(values.warmup);
/** Requests sent before the recorded ones, at the phase's rate. */
const warmupCount = (rate: number): number => Math.round(rate * WARMUP_SECONDS);
const ALL_DECLARES = DECLARES + warmupCount(Number(values['declare-rate']));
const ALL_NOTES = NOTES + warmupCount(Number(values['note-rate']));
const SECRET = BENCH_SECRET;
const { pinned: pin, onCpu } = cpuPlacement(values.cpus);

const slack = await startBenchSlack();
const work = mkdtempSync(join(tmpdir(), 'klaxon-load-'));
let dbFile = '';

const twoPlaces = (x: number): number => Math.round(x * 100) / 100;

/** Latency figures of a set of requests (one round, or every round of the run). */
function latencies(samples: Sample[]) {
  const sorted = samples.map((s) => s.latencyMs).filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number) => twoPlaces(percentile(sorted, p));
  const failures = [...new Set(samples.flatMap((s) => (s.failure ? [`#${s.i}: ${s.failure}`] : [])))].slice(0, 5);
  return { n: samples.length, errors: samples.filter((s) => s.status !== 200).length, ...(failures.length ? { failures } : {}), p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
}

/** One round's figures: its latencies and the rate it sustained. */
function summarise(samples: Sample[]) {
  const due = samples.map((s) => s.dueAt);
  const span = (Math.max(...due) - Math.min(...due)) / 1000;
  return { ...latencies(samples), ratePerSecond: Math.round(samples.length / Math.max(span, 0.001)) };
}

async function load(port: number, label: string, text: string, count: number, rate: number): Promise<Sample[]> {
  const urlsFile = join(work, `${label}-urls.json`);
  writeFileSync(urlsFile, JSON.stringify(Array.from({ length: Math.min(count + warmupCount(rate), 500) }, () => slack.createResponseUrl({ channel: 'C0GENERAL' }))));
  const out = join(work, `${label}.json`);
  const args = ['--import', 'tsx', 'bench/loadgen.ts', '--url', `http://127.0.0.1:${port}/slack/events`, '--text', text, '--rate', String(rate), '--seconds', String(count / rate), '--warmup', String(WARMUP_SECONDS), '--secret', SECRET, '--response-urls', urlsFile, '--out', out, '--label', label, '--incidents', String(DECLARES)];
  const [command, ...rest] = onCpu(0, [process.execPath, ...args]);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loadgen exited with ${code}`))));
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Sample[];
}

/**
 * How long, in ms, the server's main thread has been runnable but waiting for the CPU (the second figure of
 * Linux's schedstat): what other threads and processes on its core cost the acknowledgements. 0 elsewhere.
 */
function mainThreadCpuWaitMs(server: ChildApp): number {
  const pid = server.process.pid;
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** Runs one phase (its warm-up included) against `server`, with the time its main thread waited for the CPU meanwhile. */
async function measuredLoad(server: ChildApp, ...args: Parameters<typeof load>): Promise<{ samples: Sample[]; cpuWaitMs: number }> {
  const before = mainThreadCpuWaitMs(server);
  const samples = await load(...args);
  return { samples, cpuWaitMs: Math.round(mainThreadCpuWaitMs(server) - before) };
}

function start(kind: 'klaxon' | 'bare'): Promise<ChildApp> {
  const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, PORT: '0', KLAXON_DB: kind === 'klaxon' ? dbFile : join(work, 'bare.db'), KLAXON_CONFIG: join(work, 'none.yml'), RUNBOOKS_DIR: join(work, 'no-runbooks'), INCIDENTS_CHANNEL: 'C0INCIDENTS', LOG_LEVEL: 'info' };
  return startChildApp(env, onCpu(1, [process.execPath, '--import', 'tsx', kind === 'klaxon' ? 'src/start.ts' : 'bench/bare-bolt.ts']));
}

type PhaseFigures = ReturnType<typeof summarise> & { cpuWaitMs: number };
type Figures = { declare: PhaseFigures; note: PhaseFigures };
const rounds: { bare: Figures; klaxon: Figures; checks: Record<string, number> }[] = [];
const everySample = { bare: { declare: [] as Sample[], note: [] as Sample[] }, klaxon: { declare: [] as Sample[], note: [] as Sample[] } };
const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, pinned: pin, declares: DECLARES, notes: NOTES, warmupSeconds: WARMUP_SECONDS, declareRate: Number(values['declare-rate']), noteRate: Number(values['note-rate']) };
for (let round = 1; round <= Number(values.rounds); round += 1) {
  dbFile = join(work, `klaxon-${round}.db`);
  const figures: Partial<Record<'bare' | 'klaxon', Figures>> = {};
  let checks: Record<string, number> = {};
  for (const kind of ['bare', 'klaxon'] as const) {
    const server = await start(kind);
    slack.resetCalls();
    const channelsBefore = slack.state.channels().filter((c) => c.name.startsWith('inc-')).length;
    const declares = await measuredLoad(server, server.port, `${kind}-declare-${round}`, 'declare sev3 Load incident {i}', DECLARES, Number(values['declare-rate']));
    if (kind === 'klaxon') {
      const db = new Database(dbFile, { readonly: true });
      const deadline = Date.now() + 300_000;
      while ((db.prepare("SELECT count(*) AS n FROM incidents WHERE provisioning = 'done'").get() as { n: number }).n < ALL_DECLARES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      db.close();
    }
    const notes = await measuredLoad(server, server.port, `${kind}-note-${round}`, 'note INC-{inc} load step {i}', NOTES, Number(values['note-rate']));
    figures[kind] = { declare: { ...summarise(declares.samples), cpuWaitMs: declares.cpuWaitMs }, note: { ...summarise(notes.samples), cpuWaitMs: notes.cpuWaitMs } };
    everySample[kind].declare.push(...declares.samples);
    everySample[kind].note.push(...notes.samples);
    if (kind === 'klaxon') {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const db = new Database(dbFile, { readonly: true });
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      checks = {
        expectedIncidents: ALL_DECLARES,
        expectedNotes: ALL_NOTES,
        incidents: one('SELECT count(*) AS n FROM incidents'),
        complete: one("SELECT count(*) AS n FROM incidents WHERE provisioning = 'done' AND summary_ts IS NOT NULL"),
        channels: slack.state.channels().filter((c) => c.name.startsWith('inc-')).length - channelsBefore,
        summariesPosted: slack.calls('chat.postMessage').filter((c) => c.ok && String((c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '').startsWith('summary:')).length,
        notes: one("SELECT count(*) AS n FROM timeline_events WHERE kind = 'note'"),
        distinctNotes: one("SELECT count(DISTINCT text) AS n FROM timeline_events WHERE kind = 'note'"),
        failedJobs: one("SELECT count(*) AS n FROM jobs WHERE status = 'failed'"),
        busyInLog: server.logs.filter((line) => /SQLITE_BUSY|database is locked/i.test(line)).length,
        errorsInLog: server.logs.filter((line) => line.includes('"level":"error"')).length,
      };
      db.close();
    }
    await server.kill('SIGTERM');
    console.log(JSON.stringify({ round, kind, ...figures[kind] }));
  }
  rounds.push({ bare: figures.bare!, klaxon: figures.klaxon!, checks });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuWaitMs = (kind: 'bare' | 'klaxon', phase: 'declare' | 'note') => rounds.reduce((sum, r) => sum + r[kind][phase].cpuWaitMs, 0);
const whole = (kind: 'bare' | 'klaxon') => ({ declare: { ...latencies(everySample[kind].declare), cpuWaitMs: cpuWaitMs(kind, 'declare') }, note: { ...latencies(everySample[kind].note), cpuWaitMs: cpuWaitMs(kind, 'note') } });
const run = { bare: whole('bare'), klaxon: whole('klaxon') };
const ratio = (phase: 'declare' | 'note') => twoPlaces(run.klaxon[phase].p99 / run.bare[phase].p99);
const ratioOfRounds = (phase: 'declare' | 'note') => twoPlaces(median(rounds.map((r) => r.klaxon[phase].p99 / r.bare[phase].p99)));
report.rounds = rounds;
report.run = run;
report.p99Ratio = { declare: ratio('declare'), note: ratio('note') };
report.medianOfRoundRatios = { declare: ratioOfRounds('declare'), note: ratioOfRounds('note') };
console.log(JSON.stringify({ checks: rounds.map((r) => r.checks), run, p99Ratio: report.p99Ratio, medianOfRoundRatios: report.medianOfRoundRatios }));
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench/results', `load-${String(report.date).replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
await slack.close();
rmSync(work, { recursive: true, force: true });
