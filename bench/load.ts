/**
 * Load: 500 declarations, then 5,000 timeline notes spread over those incidents, sent as signed slash commands
 * open loop at fixed rates, to Klaxon on SQLite, to Klaxon on Postgres and, in the same run, to a bare
 * @slack/bolt app that only acks the same requests. Each server is its own process (CPU 1 when taskset exists),
 * the load another (CPU 0), the fake Slack at zero latency in this one; Postgres's own processes run unpinned.
 * For each Klaxon it then waits for every incident to be set up and checks its database through the storage seam
 * (src/core/db.ts, the same SQL on both engines): every incident complete, every note there once, no job failed,
 * no lock error in the log.
 *
 * Each phase starts with --warmup seconds of the same commands at the same rate, sent to every server and not
 * recorded (the first requests of a fresh process run code not yet compiled); the checks count them too.
 *
 * Rounds run the servers in turn (bare Bolt, Klaxon on SQLite, Klaxon on Postgres), each on a fresh database: a
 * new SQLite file, or a scratch Postgres database made for the round and dropped after it. The ratio reported
 * for each Klaxon is its p99 over bare Bolt's, each taken over all the acknowledgements of the run (every round);
 * the median of the rounds' own ratios is reported beside it. Each phase also reports the CPU the server's process
 * used (`serverCpuMs`, every thread; on Postgres, not the Postgres server's own processes).
 *
 *   npm run bench:load -- [--declares 500] [--declare-rate 50] [--notes 5000] [--note-rate 250] [--warmup 2] [--rounds 3]
 *                         [--cpus split|shared] [--servers bare,sqlite,postgres]
 *                         [--postgres-options='-c synchronous_commit=off'] [--checkout ../other]
 *
 * --postgres-options: settings for Klaxon's Postgres sessions (libpq's `options`), to see what one costs; written
 * with `=`, since the value starts with a dash. --checkout: run Klaxon from another checkout of it (a git worktree of
 * an earlier commit, with node_modules), to compare two versions against bare Bolt run after run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { one, openDatabaseReadOnly, type Db } from '../src/core/db.ts';
import { openPostgres } from '../src/core/postgres.ts';
import { startChildApp, type ChildApp } from '../test/support/child-app.ts';
import { scratchDatabase, type ScratchDatabase } from '../test/support/postgres.ts';
import type { Sample } from './loadgen.ts';
import { BENCH_SECRET, cpuPlacement, percentile, startBenchSlack } from './setup.ts';

const SERVERS = ['bare', 'sqlite', 'postgres'] as const;
type Server = (typeof SERVERS)[number];
type KlaxonServer = Exclude<Server, 'bare'>;
const PHASES = ['declare', 'note'] as const;
type Phase = (typeof PHASES)[number];

const { values } = parseArgs({
  options: {
    declares: { type: 'string', default: '500' },
    'declare-rate': { type: 'string', default: '50' },
    notes: { type: 'string', default: '5000' },
    'note-rate': { type: 'string', default: '250' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    cpus: { type: 'string', default: 'split' },
    servers: { type: 'string', default: SERVERS.join(',') },
    'postgres-options': { type: 'string' },
    checkout: { type: 'string', default: '.' },
  },
});
const servers = values.servers.split(',').map((s) => s.trim());
for (const s of servers) if (!(SERVERS as readonly string[]).includes(s)) throw new Error(`--servers: ${s} is not one of ${SERVERS.join(', ')}`);
/** The servers asked for, always in the same order within a round. */
const KINDS = SERVERS.filter((s) => servers.includes(s));
const KLAXONS = KINDS.filter((k): k is KlaxonServer => k !== 'bare');
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

/**
 * CPU time the server's process has used, every thread, in ms (utime + stime of /proc/<pid>/stat, in USER_HZ
 * ticks, 100 a second on Linux); 0 elsewhere. Not /proc/stat's machine-wide total: sampled at each tick, it
 * misses much of short bursts on this machine (a load generator's 7 s of CPU read as under 6 s for everything).
 */
function processCpuMs(server: ChildApp): number {
  try {
    const fields = readFileSync(`/proc/${server.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Runs one phase (its warm-up included) against `server`, with the time its main thread waited for the CPU
 * meanwhile and the CPU its process used.
 */
async function measuredLoad(server: ChildApp, ...args: Parameters<typeof load>): Promise<{ samples: Sample[]; cpuWaitMs: number; serverCpuMs: number }> {
  const before = mainThreadCpuWaitMs(server);
  const cpuBefore = processCpuMs(server);
  const samples = await load(...args);
  return { samples, cpuWaitMs: Math.round(mainThreadCpuWaitMs(server) - before), serverCpuMs: processCpuMs(server) - cpuBefore };
}

/** A scratch database's URL with --postgres-options, if given. */
function withOptions(url: string): string {
  if (!values['postgres-options']) return url;
  const withThem = new URL(url);
  withThem.searchParams.set('options', values['postgres-options']);
  return withThem.toString();
}

/** `target`: KLAXON_DB, a SQLite file or a Postgres URL (for bare Bolt, unused). */
function start(kind: Server, target: string): Promise<ChildApp> {
  const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, PORT: '0', KLAXON_DB: target, KLAXON_CONFIG: join(work, 'none.yml'), RUNBOOKS_DIR: join(work, 'no-runbooks'), INCIDENTS_CHANNEL: 'C0INCIDENTS', LOG_LEVEL: 'info' };
  return startChildApp(env, onCpu(1, [process.execPath, '--import', 'tsx', kind === 'bare' ? 'bench/bare-bolt.ts' : join(values.checkout, 'src/start.ts')]));
}

/**
 * Klaxon's database, opened beside the running server to check it through the seam: SQLite read-only, Postgres
 * with a pool of one and no migrating (the server migrated it).
 */
async function openForChecks(kind: KlaxonServer, target: string): Promise<{ db: Db; close(): Promise<void> }> {
  if (kind === 'sqlite') {
    const database = openDatabaseReadOnly(target);
    return { db: database.db, close: async () => database.close() };
  }
  const database = await openPostgres(target, { migrate: false, max: 1 });
  return { db: database.db, close: database.close };
}

/** One count, in SQL both engines read alike (Postgres's bigint comes back as a number, as on SQLite). */
async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  return Number((await one<{ n: number }>(db, query))?.n);
}

/** A lock that made a statement wait too long or fail, on either engine. */
const LOCK_ERROR = /SQLITE_BUSY|database is locked|deadlock detected|could not serialize|lock timeout|canceling statement due to statement timeout/i;

type PhaseFigures = ReturnType<typeof summarise> & { cpuWaitMs: number; serverCpuMs: number };
type Figures = Record<Phase, PhaseFigures>;
type Round = { figures: Partial<Record<Server, Figures>>; checks: Partial<Record<KlaxonServer, Record<string, number>>> };
const rounds: Round[] = [];
const everySample = Object.fromEntries(KINDS.map((k) => [k, { declare: [] as Sample[], note: [] as Sample[] }])) as Record<Server, Record<Phase, Sample[]>>;
const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, pinned: pin, servers: KINDS, ...(values['postgres-options'] ? { postgresOptions: values['postgres-options'] } : {}), declares: DECLARES, notes: NOTES, warmupSeconds: WARMUP_SECONDS, declareRate: Number(values['declare-rate']), noteRate: Number(values['note-rate']) };
for (let round = 1; round <= Number(values.rounds); round += 1) {
  const current: Round = { figures: {}, checks: {} };
  for (const kind of KINDS) {
    let scratch: ScratchDatabase | undefined;
    if (kind === 'postgres') scratch = await scratchDatabase();
    const target = kind === 'postgres' ? withOptions(scratch!.url) : join(work, kind === 'sqlite' ? `klaxon-${round}.db` : 'bare.db');
    try {
      const server = await start(kind, target);
      slack.resetCalls();
      const channelsBefore = slack.state.channels().filter((c) => c.name.startsWith('inc-')).length;
      const declares = await measuredLoad(server, server.port, `${kind}-declare-${round}`, 'declare sev3 Load incident {i}', DECLARES, Number(values['declare-rate']));
      if (kind !== 'bare') {
        const { db, close } = await openForChecks(kind, target);
        const deadline = Date.now() + 300_000;
        while ((await count(db, sql`select count(*) as n from incidents where provisioning = 'done'`)) < ALL_DECLARES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
        await close();
      }
      const notes = await measuredLoad(server, server.port, `${kind}-note-${round}`, 'note INC-{inc} load step {i}', NOTES, Number(values['note-rate']));
      current.figures[kind] = {
        declare: { ...summarise(declares.samples), cpuWaitMs: declares.cpuWaitMs, serverCpuMs: declares.serverCpuMs },
        note: { ...summarise(notes.samples), cpuWaitMs: notes.cpuWaitMs, serverCpuMs: notes.serverCpuMs },
      };
      everySample[kind].declare.push(...declares.samples);
      everySample[kind].note.push(...notes.samples);
      if (kind !== 'bare') {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const { db, close } = await openForChecks(kind, target);
        current.checks[kind] = {
          expectedIncidents: ALL_DECLARES,
          expectedNotes: ALL_NOTES,
          incidents: await count(db, sql`select count(*) as n from incidents`),
          complete: await count(db, sql`select count(*) as n from incidents where provisioning = 'done' and summary_ts is not null`),
          channels: slack.state.channels().filter((c) => c.name.startsWith('inc-')).length - channelsBefore,
          summariesPosted: slack.calls('chat.postMessage').filter((c) => c.ok && String((c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '').startsWith('summary:')).length,
          notes: await count(db, sql`select count(*) as n from timeline_events where kind = 'note'`),
          distinctNotes: await count(db, sql`select count(distinct text) as n from timeline_events where kind = 'note'`),
          failedJobs: await count(db, sql`select count(*) as n from jobs where status = 'failed'`),
          busyInLog: server.logs.filter((line) => LOCK_ERROR.test(line)).length,
          errorsInLog: server.logs.filter((line) => line.includes('"level":"error"')).length,
        };
        await close();
      }
      await server.kill('SIGTERM');
      console.log(JSON.stringify({ round, kind, ...current.figures[kind] }));
    } finally {
      await scratch?.drop();
    }
  }
  rounds.push(current);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const total = (kind: Server, phase: Phase, figure: 'cpuWaitMs' | 'serverCpuMs') => rounds.reduce((sum, r) => sum + r.figures[kind]![phase][figure], 0);
const wholePhase = (kind: Server, phase: Phase) => ({ ...latencies(everySample[kind][phase]), cpuWaitMs: total(kind, phase, 'cpuWaitMs'), serverCpuMs: total(kind, phase, 'serverCpuMs') });
const whole = (kind: Server) => ({ declare: wholePhase(kind, 'declare'), note: wholePhase(kind, 'note') });
const run = Object.fromEntries(KINDS.map((k) => [k, whole(k)])) as Partial<Record<Server, ReturnType<typeof whole>>>;
/** `of`'s p99 over `over`'s, per phase, over the whole run and as the median of the rounds' own ratios. */
const ratios = (of: Server, over: Server) => ({
  p99Ratio: Object.fromEntries(PHASES.map((phase) => [phase, twoPlaces(run[of]![phase].p99 / run[over]![phase].p99)])),
  medianOfRoundRatios: Object.fromEntries(PHASES.map((phase) => [phase, twoPlaces(median(rounds.map((r) => r.figures[of]![phase].p99 / r.figures[over]![phase].p99)))])),
});
const comparisons: Record<string, ReturnType<typeof ratios>> = {};
if (KINDS.includes('bare')) for (const kind of KLAXONS) comparisons[`${kind}/bare`] = ratios(kind, 'bare');
if (KLAXONS.length === 2) comparisons['postgres/sqlite'] = ratios('postgres', 'sqlite');
report.rounds = rounds;
report.run = run;
report.comparisons = comparisons;
console.log(JSON.stringify({ checks: rounds.map((r) => r.checks), run, comparisons }));
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench/results', `load-${String(report.date).replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
await slack.close();
rmSync(work, { recursive: true, force: true });
