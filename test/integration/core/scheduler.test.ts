import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PermanentError } from '../../../src/core/errors.ts';
import { createLogger, silentLogger } from '../../../src/core/logger.ts';
import { settings } from '../../../db/schema.ts';
import { exec, transaction } from '../../../src/core/db.ts';
import { getJob, Scheduler } from '../../../src/core/scheduler/index.ts';
import { SlackCallError } from '../../../src/core/slack-gateway.ts';
import { FakeClock } from '../../support/clock.ts';
import { testDatabase } from '../../support/db.ts';

const Payload = z.object({ n: z.number() });

describe('Scheduler', () => {
  let database: ReturnType<typeof testDatabase>;
  let clock: FakeClock;
  let scheduler: Scheduler;
  let ran: { n: number; at: number }[];

  beforeEach(() => {
    database = testDatabase();
    clock = new FakeClock();
    scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger, random: () => 0.5 });
    ran = [];
    scheduler.register('test.record', { schema: Payload, run: async (p, ctx) => void ran.push({ n: p.n, at: ctx.at }) });
  });
  afterEach(async () => {
    await scheduler.stop();
    database.remove();
  });

  const schedule = (key: string, inMs: number, payload: unknown = { n: 1 }, kind = 'test.record') =>
    scheduler.schedule(database.db, { kind, key, dueAt: clock.now() + inMs, payload });

  it('runs a job at its due time, with one timer armed for the earliest row (besides the hourly reconciler)', async () => {
    await scheduler.start();
    const reconcileAt = clock.now() + 3_600_000;
    await schedule('late', 60_000, { n: 2 });
    await schedule('early', 5_000, { n: 1 });
    expect(clock.pendingTimers()).toEqual([clock.now() + 5_000, reconcileAt]);
    await clock.advance(4_999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran.map((r) => r.n)).toEqual([1]);
    await clock.advance(55_000);
    expect(ran.map((r) => r.n)).toEqual([1, 2]);
    expect((await getJob(database.db, 'late'))?.status).toBe('done');
    expect(clock.pendingTimers()).toEqual([reconcileAt]);
  });

  it('tries failed jobs again every hour where their kind allows it, and reports those left failed', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    await scheduler.stop();
    scheduler = new Scheduler({ db: database.db, clock, logger, random: () => 0.5, retryBaseMs: 10 });
    let failures = 2;
    scheduler.register('test.flaky', {
      schema: Payload,
      maxAttempts: 1,
      retryFailedOnStart: true,
      run: async () => {
        failures -= 1;
        if (failures >= 0) throw new Error('upstream down');
      },
    });
    scheduler.register('test.broken', { schema: Payload, maxAttempts: 1, run: async () => { throw new Error('never works'); } });
    await scheduler.start();
    await schedule('flaky', 0, { n: 1 }, 'test.flaky');
    await schedule('broken', 0, { n: 1 }, 'test.broken');
    await clock.advance(0);
    expect([(await getJob(database.db, 'flaky'))?.status, (await getJob(database.db, 'broken'))?.status]).toEqual(['failed', 'failed']);
    await clock.advance(3_600_000);
    expect((await getJob(database.db, 'flaky'))?.status).toBe('failed');
    await clock.advance(3_600_000);
    expect((await getJob(database.db, 'flaky'))?.status).toBe('done');
    expect((await getJob(database.db, 'broken'))?.status).toBe('failed');
    const reports = lines.map((l) => JSON.parse(l) as { msg: string; jobs?: string[] }).filter((l) => l.msg === 'jobs that failed for good and will not be retried');
    expect(reports.at(-1)?.jobs).toEqual(['broken: never works']);
  });

  it('does nothing for a key scheduled twice', async () => {
    await scheduler.start();
    expect(await schedule('once', 0)).toBe(true);
    expect(await schedule('once', 0)).toBe(false);
    await clock.advance(0);
    expect(ran).toHaveLength(1);
  });

  it('runs everything overdue at once on start, including jobs a crashed process left running', async () => {
    await schedule('overdue', -60_000, { n: 1 });
    database.sqlite.prepare("update jobs set status = 'running', lease_until = ? where key = 'overdue'").run(clock.now() + 600_000);
    await schedule('due-soon', -1, { n: 2 });
    await scheduler.start();
    await scheduler.idle();
    expect(ran.map((r) => r.n).sort()).toEqual([1, 2]);
  });

  it('retries a retryable Slack failure after Retry-After, then succeeds', async () => {
    let calls = 0;
    scheduler.register('test.flaky', {
      schema: Payload,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new SlackCallError('conversations.create', 'rate_limited', true, 30_000);
      },
    });
    await scheduler.start();
    await schedule('flaky', 0, { n: 1 }, 'test.flaky');
    await clock.advance(0);
    // Waiting for Slack's rate limit is not a failed attempt.
    expect((await getJob(database.db, 'flaky'))).toMatchObject({ status: 'pending', attempts: 0, lastError: 'conversations.create failed: rate_limited' });
    await clock.advance(29_999);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    expect((await getJob(database.db, 'flaky'))).toMatchObject({ status: 'done', attempts: 1, lastError: null });
  });

  it('never gives up a step because Slack rate-limits it for a long time', async () => {
    let calls = 0;
    scheduler.register('test.storm', {
      schema: Payload,
      maxAttempts: 2,
      run: async () => {
        calls += 1;
        if (calls <= 20) throw new SlackCallError('views.publish', 'rate_limited', true, 60_000);
      },
    });
    await scheduler.start();
    await schedule('storm', 0, { n: 1 }, 'test.storm');
    for (let minute = 0; minute <= 20; minute += 1) await clock.advance(60_000);
    expect(calls).toBe(21);
    expect((await getJob(database.db, 'storm'))).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('gives up after maxAttempts with backoff and tells the handler once', async () => {
    const gaveUp: string[] = [];
    scheduler.register('test.broken', {
      schema: Payload,
      maxAttempts: 3,
      run: async () => {
        throw new SlackCallError('chat.postMessage', 'http_500', true);
      },
      onGiveUp: async (_p, error) => void gaveUp.push((error as Error).message),
    });
    await scheduler.start();
    await schedule('broken', 0, { n: 1 }, 'test.broken');
    await clock.advance(0); // attempt 1, retry in 1 s
    await clock.advance(1_000); // attempt 2, retry in 2 s
    expect(gaveUp).toEqual([]);
    await clock.advance(2_000); // attempt 3: gives up
    expect((await getJob(database.db, 'broken'))).toMatchObject({ status: 'failed', attempts: 3 });
    expect(gaveUp).toEqual(['chat.postMessage failed: http_500']);
  });

  it('fails at once on a permanent error, a non-retryable Slack error or a bad payload', async () => {
    scheduler.register('test.permanent', { schema: Payload, run: async () => { throw new PermanentError('incident 9 does not exist'); } });
    scheduler.register('test.denied', { schema: Payload, run: async () => { throw new SlackCallError('pins.add', 'missing_scope', false); } });
    await scheduler.start();
    await schedule('permanent', 0, { n: 1 }, 'test.permanent');
    await schedule('denied', 0, { n: 1 }, 'test.denied');
    await schedule('bad', 0, { n: 'one' });
    await schedule('unknown', 0, { n: 1 }, 'test.nobody');
    await clock.advance(0);
    expect((await getJob(database.db, 'permanent'))).toMatchObject({ status: 'failed', attempts: 1, lastError: 'incident 9 does not exist' });
    expect((await getJob(database.db, 'denied'))).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await getJob(database.db, 'bad'))?.lastError).toMatch(/^bad payload/);
    expect((await getJob(database.db, 'unknown'))?.lastError).toBe('no handler for job kind test.nobody');
    expect(ran).toEqual([]);
  });

  it('tries failed jobs of kinds that ask for it again on the next start, and leaves the others failed', async () => {
    let fixed = false;
    const runs: string[] = [];
    const failUntilFixed = async (_p: unknown, ctx: { key: string }) => {
      runs.push(ctx.key);
      if (!fixed) throw new SlackCallError('conversations.create', 'restricted_action', false);
    };
    scheduler.register('test.retried', { schema: Payload, retryFailedOnStart: true, run: failUntilFixed });
    scheduler.register('test.final', { schema: Payload, run: failUntilFixed });
    await scheduler.start();
    await schedule('retried', 0, { n: 1 }, 'test.retried');
    await schedule('final', 0, { n: 1 }, 'test.final');
    await clock.advance(0);
    expect((await getJob(database.db, 'retried'))?.status).toBe('failed');
    await scheduler.stop();

    fixed = true;
    const restarted = new Scheduler({ db: database.db, clock, logger: silentLogger });
    restarted.register('test.retried', { schema: Payload, retryFailedOnStart: true, run: failUntilFixed });
    restarted.register('test.final', { schema: Payload, run: failUntilFixed });
    await restarted.start();
    await clock.advance(0);
    expect((await getJob(database.db, 'retried'))).toMatchObject({ status: 'done', attempts: 1 });
    expect((await getJob(database.db, 'final'))?.status).toBe('failed');
    expect(runs).toEqual(['retried', 'final', 'retried']);
    await restarted.stop();
  });

  it('cancels a pending job', async () => {
    await scheduler.start();
    await schedule('cancel-me', 1_000);
    await scheduler.cancel(database.db, 'cancel-me');
    await clock.advance(5_000);
    expect(ran).toEqual([]);
    expect((await getJob(database.db, 'cancel-me'))?.status).toBe('cancelled');
  });

  it('re-arms for an earlier job scheduled after a later one', async () => {
    await scheduler.start();
    await schedule('later', 10_000, { n: 2 });
    await schedule('sooner', 1_000, { n: 1 });
    expect(clock.pendingTimers()[0]).toBe(clock.now() + 1_000);
    await clock.advance(1_000);
    expect(ran).toEqual([{ n: 1, at: clock.now() }]);
  });

  it('keeps a running job’s lease while it runs, so that a second scheduler on the database never takes it over', async () => {
    const leased = new Scheduler({ db: database.db, clock, logger: silentLogger, leaseMs: 9_000, soleInstance: false });
    const other = new Scheduler({ db: database.db, clock, logger: silentLogger, leaseMs: 9_000, soleInstance: false });
    let release!: () => void;
    const runs: string[] = [];
    for (const [name, each] of [['first', leased], ['second', other]] as const) {
      each.register('test.slow', {
        schema: Payload,
        run: async () => {
          runs.push(name);
          await new Promise<void>((resolve) => (release = resolve));
        },
      });
    }
    await leased.start();
    await leased.schedule(database.db, { kind: 'test.slow', key: 'slow', dueAt: clock.now(), payload: { n: 1 } });
    await clock.advance(0);
    expect(runs).toEqual(['first']);
    // Long past the lease: renewed every 3 s while the job runs, it never runs out.
    await other.start();
    await clock.advance(60_000);
    expect(runs).toEqual(['first']);
    expect(await getJob(database.db, 'slow')).toMatchObject({ status: 'running', leaseUntil: clock.now() + 9_000 - (60_000 % 3_000) });
    release();
    await clock.advance(0);
    expect((await getJob(database.db, 'slow'))?.status).toBe('done');
    await leased.stop();
    await other.stop();
  });

  it('lets another scheduler take over a job whose scheduler died, once its lease runs out', async () => {
    // The dead one runs on a clock of its own that never moves again: after its claim, no renewal, no settlement.
    const deadClock = new FakeClock(clock.now());
    const dead = new Scheduler({ db: database.db, clock: deadClock, logger: silentLogger, leaseMs: 9_000, soleInstance: false });
    dead.register('test.record', { schema: Payload, run: () => new Promise<void>(() => undefined) });
    await dead.start();
    await dead.schedule(database.db, { kind: 'test.record', key: 'orphan', dueAt: clock.now(), payload: { n: 7 } });
    await deadClock.advance(0);
    expect((await getJob(database.db, 'orphan'))?.status).toBe('running');
    const claimedAt = clock.now();
    const survivor = new Scheduler({ db: database.db, clock, logger: silentLogger, leaseMs: 9_000, soleInstance: false });
    survivor.register('test.record', { schema: Payload, run: async (p, ctx) => void ran.push({ n: p.n, at: ctx.at }) });
    await survivor.start();
    await clock.advance(8_999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual([{ n: 7, at: claimedAt + 9_000 }]);
    await survivor.stop();
  });

  it('runs the jobs a scheduling transaction sets off outside that transaction', async () => {
    let sawUncommitted: boolean | undefined;
    scheduler.register('test.probe', {
      schema: Payload,
      run: async () => {
        sawUncommitted = (await exec(database.db, database.db.update(settings).set({ value: 'seen' }))) > 0;
      },
    });
    await scheduler.start();
    await schedule('probe', 1_000, { n: 1 }, 'test.probe');
    await clock.advance(0);
    // A transaction writes a row, and while it is open the probe falls due (its timer fires in the transaction's
    // async context); then the transaction rolls back.
    await transaction(database.db, async () => {
      await exec(database.db, database.db.insert(settings).values({ name: 'uncommitted', value: 'y' }));
      await clock.advance(1_000);
      throw new Error('rolled back');
    }).catch(() => undefined);
    await clock.advance(0);
    // Run outside it, the probe waited for the rollback and found no row to change; inside, it would have changed it.
    expect(sawUncommitted).toBe(false);
  });
});
