/**
 * The Klaxon side of `npm run bench:scheduler`: the real app (createKlaxon: SQLite file, HTTP receiver, every
 * feature's listeners and job kinds) plus one job kind registered only for the benchmark, driven over IPC by
 * bench/scheduler.ts. Not meant to be run by hand.
 *
 * - Lateness comes from the scheduler's own `onClaim` hook (claim time minus due time). createKlaxon does not pass
 *   that option through, so this file sets it on the options object of the Scheduler createKlaxon built, before
 *   it starts. The hook is also timed with a sub-millisecond clock, because the product's clock (Date.now) reads
 *   whole milliseconds.
 * - The clock handed to createKlaxon is the system clock with counters: every timer armed and every timer that
 *   fired, so an idle phase can show there were no wake-ups at all.
 * - The benchmark's handler does one small SQLite write (a row per run in `bench_fired`), and records when it
 *   started, as a cross-check of the hook.
 */
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { z } from 'zod';
import { systemClock, type Clock } from '../src/core/clock.ts';
import { onSqliteConnection, transaction } from '../src/core/db.ts';
import { createLogger } from '../src/core/logger.ts';
import type { SchedulerOptions } from '../src/core/scheduler/index.ts';
import { createKlaxon, loadConfig } from '../src/main.ts';
import { seededRandom } from './seeded-random.ts';

export const BENCH_KIND = 'bench.escalate-step';

export type ToApp =
  | { type: 'mark'; name: string }
  | { type: 'schedule'; count: number; from: number; spanMs: number; batch: number; seed: number }
  | { type: 'progress' }
  | { type: 'results' }
  | { type: 'stop' };

export interface Mark {
  type: 'mark';
  name: string;
  /** process.cpuUsage() in µs. */
  cpu: { user: number; system: number };
  /** Monotonic ms (performance.now of this process). */
  mono: number;
  wall: number;
  elu: { idle: number; active: number; utilization: number };
  timersArmed: number;
  timersFired: number;
  /** Timer wake-ups that claimed nothing. */
  timersEmpty: number;
  claims: number;
  /** Garbage collections seen so far, and their total pause time (ms). */
  gc: { count: number; ms: number; major: number };
  rssBytes: number;
}

export interface ScheduleDone {
  type: 'scheduled';
  inserted: number;
  batches: number;
  /** Wall time spent in the insert transactions, ms. */
  insertMs: number;
  timersArmedDuringInsert: number;
  firstDue: number;
  lastDue: number;
}

export interface AppResults {
  type: 'results';
  /** Claim time minus due time, per claimed benchmark job, in claim order. */
  claimLateMs: number[];
  /** The due time of each of those claims. */
  claimDueAt: number[];
  /** The same, as the scheduler reports it (its clock reads whole milliseconds). */
  schedulerLateMs: number[];
  /** When each benchmark handler started, minus due time. */
  handlerLateMs: number[];
  /** Claims the hook saw for the other job kinds (0 under `help` load), and how late they were (scheduler clock). */
  otherClaims: number;
  otherLateMs: number[];
  /** Date.now() minus the sub-millisecond clock, at start and now (drift between the two clocks). */
  clockOffsetMs: { start: number; end: number };
  jobs: { status: string; n: number; attemptsMax: number; attemptsOver1: number }[];
  fired: { rows: number; distinctKeys: number };
  otherJobs: { kind: string; status: string; n: number }[];
}

export type FromApp = { type: 'listening'; port: number } | Mark | ScheduleDone | { type: 'progress'; done: number; claimed: number } | AppResults;

const send = (message: FromApp): void => void process.send!(message);

/**
 * Date.now() minus performance's clock, read just as Date.now() ticks over. Any delay before the second read
 * makes the difference smaller, so the largest of a few tries is the right one (good to a few µs).
 */
function clockOffset(): number {
  let best = -Infinity;
  for (let i = 0; i < 25; i += 1) {
    const start = Date.now();
    let now = start;
    while (now === start) now = Date.now();
    best = Math.max(best, now - (performance.timeOrigin + performance.now()));
  }
  return best;
}
const offsetAtStart = clockOffset();
/** Epoch ms with sub-millisecond resolution, on Date.now()'s scale. */
const preciseNow = (): number => performance.timeOrigin + performance.now() + offsetAtStart;

/** `empty`: wake-ups that claimed nothing (the timer fired before Date.now() reached the due time, or every slot was busy). */
const timers = { armed: 0, fired: 0, empty: 0 };
let claims = 0;
const clock: Clock = {
  now: () => systemClock.now(),
  setTimer(at, fn) {
    timers.armed += 1;
    return systemClock.setTimer(at, () => {
      timers.fired += 1;
      const before = claims;
      fn();
      if (claims === before) timers.empty += 1;
    });
  },
};

const gc = { count: 0, ms: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count += 1;
    gc.ms += entry.duration;
    if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major += 1;
  }
}).observe({ entryTypes: ['gc'] });

const { config } = loadConfig(process.env);
const logger = createLogger(config.env.logLevel);
const klaxon = await createKlaxon(config, { clock, logger });
const { db, sqlite } = klaxon.database;
if (!sqlite) throw new Error('bench: the scheduler benchmark measures SQLite: set KLAXON_DB to a file');

const claimLateMs: number[] = [];
const claimDueAt: number[] = [];
const schedulerLateMs: number[] = [];
const handlerLateMs: number[] = [];
let otherClaims = 0;
const otherLateMs: number[] = [];
const onClaim: NonNullable<SchedulerOptions['onClaim']> = (job, lateMs) => {
  claims += 1;
  if (job.kind !== BENCH_KIND) {
    otherClaims += 1;
    otherLateMs.push(lateMs);
    return;
  }
  claimLateMs.push(preciseNow() - job.dueAt);
  claimDueAt.push(job.dueAt);
  schedulerLateMs.push(lateMs);
};
// createKlaxon keeps the Scheduler's options private; the hook is read on every claim, so setting it before start
// is enough. Fail loudly if the Scheduler stops keeping its options there.
const schedulerOptions = (klaxon.scheduler as unknown as { opts?: SchedulerOptions }).opts;
if (!schedulerOptions || schedulerOptions.db !== db || schedulerOptions.clock !== clock) throw new Error('bench: cannot find the options of the Scheduler createKlaxon built');
schedulerOptions.onClaim = onClaim;

sqlite.exec('CREATE TABLE IF NOT EXISTS bench_fired (id INTEGER PRIMARY KEY, key TEXT NOT NULL, due_at INTEGER NOT NULL, fired_at REAL NOT NULL)');
const insertFired = sqlite.prepare('INSERT INTO bench_fired (key, due_at, fired_at) VALUES (?, ?, ?)');
let done = 0;
klaxon.scheduler.register(BENCH_KIND, {
  schema: z.object({ n: z.number().int(), dueAt: z.number() }),
  async run({ dueAt }, ctx) {
    const at = preciseNow();
    handlerLateMs.push(at - dueAt);
    await onSqliteConnection(db, () => insertFired.run(ctx.key, dueAt, at));
    done += 1;
  },
});


async function schedule({ count, from, spanMs, batch, seed }: Extract<ToApp, { type: 'schedule' }>): Promise<ScheduleDone> {
  const random = seededRandom(seed);
  // Due times uniformly at random over the span, inserted in random order (as escalations would be created).
  const due = Array.from({ length: count }, () => from + Math.floor(random() * spanMs));
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const armedBefore = timers.armed;
  const started = performance.now();
  let inserted = 0;
  let batches = 0;
  for (let b = 0; b < count; b += batch) {
    await transaction(db, async () => {
      for (const n of order.slice(b, b + batch)) {
        const dueAt = due[n]!;
        if (await klaxon.scheduler.schedule(db, { kind: BENCH_KIND, key: `bench:step:${n}`, dueAt, payload: { n, dueAt } })) inserted += 1;
      }
    });
    batches += 1;
  }
  return { type: 'scheduled', inserted, batches, insertMs: performance.now() - started, timersArmedDuringInsert: timers.armed - armedBefore, firstDue: Math.min(...due), lastDue: Math.max(...due) };
}

function mark(name: string): Mark {
  const elu = performance.eventLoopUtilization();
  return { type: 'mark', name, cpu: process.cpuUsage(), mono: performance.now(), wall: Date.now(), elu, timersArmed: timers.armed, timersFired: timers.fired, timersEmpty: timers.empty, claims, gc: { ...gc }, rssBytes: process.memoryUsage.rss() };
}

async function results(): Promise<AppResults> {
  const { jobs, fired, otherJobs } = await onSqliteConnection(db, (sqlite) => ({
    jobs: sqlite.prepare("SELECT status, count(*) AS n, max(attempts) AS attemptsMax, sum(attempts > 1) AS attemptsOver1 FROM jobs WHERE kind = ? GROUP BY status").all(BENCH_KIND) as AppResults['jobs'],
    fired: sqlite.prepare('SELECT count(*) AS rows, count(DISTINCT key) AS distinctKeys FROM bench_fired').get() as AppResults['fired'],
    otherJobs: sqlite.prepare('SELECT kind, status, count(*) AS n FROM jobs WHERE kind <> ? GROUP BY kind, status').all(BENCH_KIND) as AppResults['otherJobs'],
  }));
  return { type: 'results', claimLateMs, claimDueAt, schedulerLateMs, handlerLateMs, otherClaims, otherLateMs, clockOffsetMs: { start: offsetAtStart, end: clockOffset() }, jobs, fired, otherJobs };
}

process.on('message', async (message: ToApp) => {
  switch (message.type) {
    case 'mark':
      return send(mark(message.name));
    case 'schedule':
      return send(await schedule(message));
    case 'progress':
      return send({ type: 'progress', done, claimed: claimLateMs.length });
    case 'results':
      return send(await results());
    case 'stop':
      void klaxon.stop().then(() => process.exit(0));
  }
});

const port = await klaxon.start();
send({ type: 'listening', port });
