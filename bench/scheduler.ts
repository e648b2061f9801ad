/**
 * Escalation steps firing on time: how late the durable scheduler claims 10,000 pending jobs due over 60 s while
 * the same process answers 200 signed slash commands a second, and how much CPU it uses while idle with all of
 * them pending (it must not poll).
 *
 * Klaxon (createKlaxon with a SQLite file, the HTTP receiver, every feature) runs in a child process pinned to
 * CPU 1 when taskset exists (bench/scheduler-app.ts, driven over IPC); the load comes from another process pinned
 * to CPU 0 (bench/loadgen.ts); the fake Slack runs in this process. Phases:
 *
 *   baseline  --idle s, no jobs pending, no load
 *   idle      --idle s, --jobs pending (inserted through scheduler.schedule in transactions of --batch), no load
 *   load      the jobs come due uniformly over --seconds while --rate `/incident <command>` per second arrive
 *
 *   npm run bench:scheduler -- [--jobs 10000] [--seconds 60] [--rate 200] [--idle 10] [--command help|declare]
 *                              [--batch 500] [--warmup 2] [--seed 42] [--cpus split|shared]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeSlack } from '../src/simulator/slack/index.ts';
import { manifestBotScopes } from '../test/support/manifest.ts';
import type { Sample } from './loadgen.ts';
import type { AppResults, FromApp, Mark, ScheduleDone, ToApp } from './scheduler-app.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '200' },
    idle: { type: 'string', default: '10' },
    command: { type: 'string', default: 'help' },
    batch: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '2' },
    seed: { type: 'string', default: '42' },
    cpus: { type: 'string', default: 'split' },
  },
});
const jobCount = Number(values.jobs);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const idleSeconds = Number(values.idle);
const batch = Number(values.batch);
const warmup = Number(values.warmup);
const seed = Number(values.seed);
const commands: Record<string, string> = { help: 'help', declare: 'declare sev3 Bench incident {i}' };
const commandText = commands[values.command] ?? values.command;
const SECRET = 'bench-signing-secret';
const TARGET_P99_MS = 20;
/** How long before the first recorded request the load process is started (it needs about a second to load). */
const LOADGEN_LEAD_MS = 3000;
const pin = values.cpus === 'split' && spawnSync('taskset', ['--version']).status === 0;
const onCpu = (cpu: number, command: string[]): string[] => (pin ? ['taskset', '-c', String(cpu), ...command] : command);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const slack = await startFakeSlack({
  scopes: manifestBotScopes(),
  users: [{ id: 'U01ALICE', name: 'alice' }],
  channels: [
    { id: 'C0GENERAL', name: 'general', members: ['U01ALICE'] },
    { id: 'C0INCIDENTS', name: 'incidents', members: ['U01ALICE'] },
  ],
});
const work = mkdtempSync(join(tmpdir(), 'klaxon-bench-scheduler-'));

/** The Klaxon child and a way to ask it things over IPC (one answer per question, in order). */
function startApp(): { child: ChildProcess; ask<T extends FromApp>(message: ToApp | undefined, answer: T['type']): Promise<T>; exited: Promise<number | null> } {
  const env = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    KLAXON_DB: join(work, 'klaxon.db'),
    KLAXON_CONFIG: join(work, 'none.yml'),
    INCIDENTS_CHANNEL: 'C0INCIDENTS',
    LOG_LEVEL: 'warn',
  };
  const [command, ...args] = onCpu(1, [process.execPath, '--import', 'tsx', 'bench/scheduler-app.ts']);
  const child = spawn(command!, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waiting: { type: string; resolve: (m: FromApp) => void }[] = [];
  child.on('message', (message: FromApp) => {
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(message);
  });
  void exited.then((code) => {
    if (waiting.length) {
      console.error(`bench: Klaxon exited with ${code} while waiting for ${waiting.map((w) => w.type).join(', ')}`);
      process.exit(1);
    }
  });
  return {
    child,
    exited,
    ask: <T extends FromApp>(message: ToApp | undefined, answer: T['type']) =>
      new Promise<T>((resolve) => {
        waiting.push({ type: answer, resolve: resolve as (m: FromApp) => void });
        if (message) child.send(message);
      }),
  };
}

function runLoad(port: number, startAt: number): Promise<Sample[]> {
  if (rate <= 0) return Promise.resolve([]);
  const count = Math.round(rate * (seconds + warmup));
  const urlsFile = join(work, 'urls.json');
  writeFileSync(urlsFile, JSON.stringify(Array.from({ length: count }, () => slack.createResponseUrl({ channel: 'C0GENERAL' }))));
  const out = join(work, 'load.json');
  const args = ['--import', 'tsx', 'bench/loadgen.ts', '--url', `http://127.0.0.1:${port}/slack/events`, '--text', commandText, '--rate', String(rate), '--seconds', String(seconds), '--warmup', String(warmup), '--start-at', String(startAt), '--secret', SECRET, '--response-urls', urlsFile, '--out', out, '--label', values.command];
  const [command, ...rest] = onCpu(0, [process.execPath, ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(command!, rest, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(readFileSync(out, 'utf8')) as Sample[]) : reject(new Error(`load generator exited with ${code}`))));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
}
function summarise(xs: number[]): { n: number; min: number; p50: number; p95: number; p99: number; p999: number; max: number } {
  const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: sorted.length, min: sorted[0] ?? Number.NaN, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9), max: sorted.at(-1) ?? Number.NaN };
}
const CLOCK_TICK_MS = 1000 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100);
/** CPU ms so far of each thread of a process, summed by thread name ("main" for the JavaScript thread); Linux only. */
function threadCpu(pid: number | undefined): Record<string, number> | undefined {
  try {
    const byName: Record<string, number> = {};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
      byName[name] = (byName[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS; // utime + stime
    }
    return byName;
  } catch {
    return undefined;
  }
}
const cpuMsBetween = (from: Mark, to: Mark): number => (to.cpu.user - from.cpu.user + to.cpu.system - from.cpu.system) / 1000;
interface Phase {
  name: string;
  seconds: number;
  cpuMs: number;
  cpuPercent: number;
  eventLoopUtilization: number;
  timersFired: number;
  timersEmpty: number;
  timersArmed: number;
  claims: number;
  gcCount: number;
  gcMajor: number;
  gcMs: number;
  rssMiB: number;
  /** CPU ms in each second of the phase, and their median (idle phases only). */
  cpuMsPerSecond?: number[];
  cpuMsPerSecondMedian?: number;
  /** CPU ms by thread, from /proc (10 ms ticks). */
  cpuMsByThread?: Record<string, number>;
}
function phase(name: string, marks: (Mark & { threads?: Record<string, number> })[]): Phase {
  const from = marks[0]!;
  const to = marks.at(-1)!;
  const ms = to.mono - from.mono;
  const cpuMs = cpuMsBetween(from, to);
  const active = to.elu.active - from.elu.active;
  const idle = to.elu.idle - from.elu.idle;
  return {
    name,
    seconds: ms / 1000,
    cpuMs,
    cpuPercent: (100 * cpuMs) / ms,
    eventLoopUtilization: active / (active + idle),
    timersFired: to.timersFired - from.timersFired,
    timersEmpty: to.timersEmpty - from.timersEmpty,
    timersArmed: to.timersArmed - from.timersArmed,
    claims: to.claims - from.claims,
    gcCount: to.gc.count - from.gc.count,
    gcMajor: to.gc.major - from.gc.major,
    gcMs: to.gc.ms - from.gc.ms,
    rssMiB: to.rssBytes / 2 ** 20,
    ...(marks.length > 2 ? { cpuMsPerSecond: marks.slice(1).map((m, i) => cpuMsBetween(marks[i]!, m)), cpuMsPerSecondMedian: summarise(marks.slice(1).map((m, i) => cpuMsBetween(marks[i]!, m))).p50 } : {}),
    ...(from.threads && to.threads ? { cpuMsByThread: Object.fromEntries(Object.entries(to.threads).map(([name, ms]) => [name, ms - (from.threads![name] ?? 0)])) } : {}),
  };
}

const app = startApp();
const { port } = await app.ask<{ type: 'listening'; port: number }>(undefined, 'listening');
console.log(`Klaxon listening on ${port}${pin ? ' (pinned to CPU 1, load on CPU 0)' : ''}; ${jobCount} jobs over ${seconds} s, ${rate} \`/incident ${commandText}\` per s`);
await sleep(2000);
type TimedMark = Mark & { threads?: Record<string, number> };
const mark = async (name: string): Promise<TimedMark> => ({ ...(await app.ask<Mark>({ type: 'mark', name }, 'mark')), threads: threadCpu(app.child.pid) });

/** Marks once a second, so a steady cost (polling) can be told from a one-off (a garbage collection). */
async function idleMarks(name: string): Promise<TimedMark[]> {
  const marks = [await mark(`${name}-0`)];
  for (let s = 1; s <= idleSeconds; s += 1) {
    await sleep(marks[0]!.wall + s * 1000 - Date.now());
    marks.push(await mark(`${name}-${s}`));
  }
  return marks;
}

// Baseline: the app idle with nothing pending.
const baselineMarks = await idleMarks('baseline');

// Insert the jobs, due from t0 on: after the idle phase and the load's start-up and warm-up.
const t0 = Date.now() + 1000 + idleSeconds * 1000 + 1000 + warmup * 1000 + LOADGEN_LEAD_MS;
const scheduled = await app.ask<ScheduleDone>({ type: 'schedule', count: jobCount, from: t0, spanMs: seconds * 1000, batch, seed }, 'scheduled');
console.log(`inserted ${scheduled.inserted} jobs in ${scheduled.batches} transactions (${scheduled.insertMs.toFixed(0)} ms, timer re-armed ${scheduled.timersArmedDuringInsert} times); first due in ${((scheduled.firstDue - Date.now()) / 1000).toFixed(1)} s`);
await sleep(1000);

// Idle with everything pending.
const idleMarksPending = await idleMarks('idle');
if (Date.now() > t0 - warmup * 1000 - LOADGEN_LEAD_MS) throw new Error('bench: the idle phase overran its slot');

// The jobs come due while the load runs; its recorded requests start at t0.
await sleep(t0 - warmup * 1000 - LOADGEN_LEAD_MS - Date.now());
const load = runLoad(port, t0);
await sleep(t0 - Date.now());
const loadStart = await mark('load-start');
const samples = await load;
await sleep(t0 + seconds * 1000 + 250 - Date.now()); // the last jobs are due at t0 + seconds
const loadEnd = await mark('load-end');
const drainDeadline = Date.now() + 120_000;
let progress = await app.ask<{ type: 'progress'; done: number; claimed: number }>({ type: 'progress' }, 'progress');
while (progress.done < scheduled.inserted && Date.now() < drainDeadline) {
  await sleep(250);
  progress = await app.ask<{ type: 'progress'; done: number; claimed: number }>({ type: 'progress' }, 'progress');
}
const drained = await mark('drained');
const results = await app.ask<AppResults>({ type: 'results' }, 'results');
app.child.send({ type: 'stop' } satisfies ToApp);
await app.exited;
await slack.close();
rmSync(work, { recursive: true, force: true });

const phases = [phase('baseline: idle, nothing pending', baselineMarks), phase(`idle: ${jobCount} pending`, idleMarksPending), phase(rate > 0 ? `load: jobs due + ${rate} /incident ${values.command} per s` : 'jobs due, no load', [loadStart, loadEnd])];
const lateness = summarise(results.claimLateMs);
const ack = summarise(samples.map((s) => s.latencyMs));
const tenths = Array.from({ length: 10 }, (_, k) => summarise(results.claimLateMs.filter((_, i) => Math.min(9, Math.floor((10 * (results.claimDueAt[i]! - t0)) / (seconds * 1000))) === k)));
const byStatus = Object.fromEntries(results.jobs.map((j) => [j.status, j]));
const doneJobs = byStatus.done?.n ?? 0;
const checks = {
  allFired: doneJobs === jobCount && results.fired.rows === jobCount && results.claimLateMs.length === jobCount,
  noneTwice: results.fired.distinctKeys === results.fired.rows && (byStatus.done?.attemptsMax ?? 0) <= 1 && results.jobs.every((j) => j.attemptsOver1 === 0),
  idleNoWakeups: phases[1]!.timersFired === 0 && phases[1]!.claims === 0,
  p99UnderTarget: lateness.p99 < TARGET_P99_MS,
};
const report = {
  date: new Date().toISOString(),
  node: process.version,
  pinned: pin,
  options: { jobs: jobCount, seconds, rate, idleSeconds, command: commandText, batch, warmup, seed },
  scheduled,
  phases,
  drainedAfterLoadEndMs: drained.mono - loadEnd.mono,
  lateness,
  latenessByDueTenth: tenths,
  latenessSchedulerClock: summarise(results.schedulerLateMs),
  handlerStartLateness: summarise(results.handlerLateMs),
  ack: { ...ack, errors: samples.filter((s) => s.status !== 200).length, firstDueMinusT0: (samples[0]?.dueAt ?? Number.NaN) - t0 },
  jobs: results.jobs,
  fired: results.fired,
  otherClaims: results.otherClaims,
  otherLateness: summarise(results.otherLateMs),
  otherJobs: results.otherJobs,
  clockOffsetMs: results.clockOffsetMs,
  checks,
  raw: { claimLateMs: results.claimLateMs, claimDueAt: results.claimDueAt, schedulerLateMs: results.schedulerLateMs, ackLatencyMs: samples.map((s) => s.latencyMs) },
};
mkdirSync('bench/results', { recursive: true });
const file = join('bench/results', `scheduler-${report.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

const f = (ms: number, digits = 2): string => (Number.isFinite(ms) ? ms.toFixed(digits) : '—');
const fms = (ms: number, digits = 2): string => (Number.isFinite(ms) ? `${ms.toFixed(digits)} ms` : '—');
console.log('\n| phase | seconds | CPU | CPU, % of a core | median CPU per second | event-loop use | GC pauses (major) | timer wake-ups (empty) | jobs claimed |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const p of phases) console.log(`| ${p.name} | ${f(p.seconds, 1)} | ${f(p.cpuMs, 1)} ms | ${f(p.cpuPercent, 3)}% | ${p.cpuMsPerSecondMedian === undefined ? '—' : `${f(p.cpuMsPerSecondMedian, 1)} ms`} | ${f(100 * p.eventLoopUtilization, 2)}% | ${p.gcCount} (${p.gcMajor}), ${f(p.gcMs, 1)} ms | ${p.timersFired} (${p.timersEmpty}) | ${p.claims} |`);
for (const p of phases) if (p.cpuMsPerSecond) console.log(`CPU ms per second, ${p.name}: ${p.cpuMsPerSecond.map((ms) => f(ms, 1)).join(' ')}`);
for (const p of phases) if (p.cpuMsByThread) console.log(`CPU ms by thread, ${p.name}: ${Object.entries(p.cpuMsByThread).filter(([, ms]) => ms > 0).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ') || 'none'}`);
console.log('\n| jobs fired | claimed twice | lateness p50 | p95 | p99 | p99.9 | max | same, scheduler clock p50 / p99 | ack p50 | ack p99 | ack max | ack errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
console.log(
  `| ${results.fired.rows} of ${jobCount} | ${results.fired.rows - results.fired.distinctKeys} | ${f(lateness.p50)} ms | ${f(lateness.p95)} ms | ${f(lateness.p99)} ms | ${f(lateness.p999)} ms | ${f(lateness.max)} ms | ${f(report.latenessSchedulerClock.p50, 0)} / ${f(report.latenessSchedulerClock.p99, 0)} ms | ${fms(ack.p50)} | ${fms(ack.p99)} | ${fms(ack.max)} | ${report.ack.errors} |`,
);
console.log(`\nlateness p50 / p99 by due time, tenths of the ${seconds} s: ${tenths.map((t) => `${f(t.p50, 1)}/${f(t.p99, 1)}`).join('  ')} ms`);
console.log(`jobs table (${values.command}): ${results.jobs.map((j) => `${j.status} ${j.n} (max attempts ${j.attemptsMax})`).join(', ')}; other kinds claimed meanwhile: ${results.otherClaims}${results.otherClaims ? ` (late p50 ${f(report.otherLateness.p50, 0)} ms, p99 ${f(report.otherLateness.p99, 0)} ms)` : ''}`);
console.log(`sub-millisecond clock: Date.now() minus performance's clock moved ${f(results.clockOffsetMs.end - results.clockOffsetMs.start, 3)} ms over the run; wake-ups under load: ${phases[2]!.timersFired} (${phases[2]!.timersEmpty} claimed nothing: too early, or every slot busy)`);
console.log(`checks: ${Object.entries(checks).map(([k, v]) => `${k} ${v ? 'ok' : 'FAILED'}`).join(', ')}`);
console.log(`raw results: ${file}`);
if (!checks.allFired || !checks.noneTwice) process.exitCode = 1;
