/**
 * The durable scheduler: rows in `jobs` say when to look at something; handlers, registered by kind with a zod
 * payload schema, do the work. One timer is armed for the earliest due row (never a polling loop) and re-armed
 * when a job is scheduled earlier. On start, everything overdue runs at once.
 *
 * A handler that throws a retryable SlackCallError (5xx, network, timeout) runs again after a backoff; a 429
 * runs again after its Retry-After without using an attempt (Slack said when, nothing failed); any other error is
 * retried too, up to `maxAttempts`, and then the job fails with its reason and
 * the handler's `onGiveUp` tells the people concerned. A bad payload fails at once: it would never get better.
 * Kinds registered with `retryFailedOnStart` get another full round of attempts each time the process starts,
 * and again every `reconcileEveryMs` (an hour by default): the reconciler, which also logs what is still
 * undone (failed jobs of every kind, with their last error) so that nothing fails silently.
 * A handler that throws DeferError (what it needs is not there yet) runs again after the delay it names, without
 * using up an attempt.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Cancel, Clock } from '../clock.ts';
import { afterCommit, outsideTransactions, type Db } from '../db.ts';
import { DeferError, errorMessage, PermanentError } from '../errors.ts';
import { withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import { SlackCallError } from '../slack-gateway.ts';
import { cancelJob, claimDueJobs, failedJobs, insertJob, nextWakeAt, releaseRunningJobs, renewLease, requeueFailedJobs, settleJob, type JobRow, type NewJob } from './job-store.ts';

export interface JobContext {
  /** When this run started (from the injected clock). */
  at: number;
  attempt: number;
  key: string;
}

export interface JobHandler<S extends z.ZodType> {
  schema: S;
  run(payload: z.infer<S>, ctx: JobContext): Promise<void>;
  /** Called once when the job fails for good, with the last error. */
  onGiveUp?(payload: z.infer<S>, error: unknown, ctx: JobContext): Promise<void>;
  maxAttempts?: number;
  /** Whether jobs of this kind that failed for good are tried again when the scheduler starts. */
  retryFailedOnStart?: boolean;
}

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** How many jobs run at the same time (Slack calls overlap; SQLite work does not). */
  concurrency?: number;
  /**
   * How long a claim holds before another run may take the job over; renewed every third of it while the job
   * runs, so it bounds how long a dead instance's jobs wait for another one (5 minutes by default).
   */
  leaseMs?: number;
  /**
   * This scheduler is the only one on its database (SQLite, whose file one process holds): on start, jobs left
   * running are its own from before, due again at once. With several instances (Postgres) leases decide instead.
   */
  soleInstance?: boolean;
  /**
   * Look for due work at least this often, in real time, for jobs other instances scheduled (a fallback when
   * nobody tells): a matter of the network, not of the product's time, so it does not run on `clock`.
   */
  pollEveryMs?: number;
  /**
   * Tells other instances of a job scheduled, inside the scheduling transaction (Postgres: NOTIFY, delivered on
   * commit).
   */
  announce?: (db: Db, dueAt: number) => Promise<void>;
  /** Backoff for retries: base * 2^(attempt-1), capped, with ±20% jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  random?: () => number;
  /**
   * Told of every job scheduled here, after the scheduling transaction (for a scheduler that runs the jobs
   * elsewhere: Klaxon's job worker, woken by a message).
   */
  onScheduled?: (dueAt: number) => void;
  /** How often failed jobs are tried again and what is still undone is reported. */
  reconcileEveryMs?: number;
  /** Sees every claimed job and how late it was claimed (claim time minus due time), for metrics and benchmarks. */
  onClaim?: (job: { kind: string; dueAt: number }, lateMs: number) => void;
}

const DEFAULT_MAX_ATTEMPTS = 10;
/** How soon the scheduler looks again when the database did not answer its claim. */
const CLAIM_RETRY_MS = 1_000;

export class Scheduler {
  private readonly handlers = new Map<string, JobHandler<z.ZodType>>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private timer: { at: number; cancel: Cancel } | undefined;
  private reconcileTimer: Cancel | undefined;
  private running = 0;
  private started = false;
  private pumping = false;
  private pumpAgain = false;
  private pass: Promise<void> | undefined;
  private poller: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopWaiters: (() => void)[] = [];

  constructor(private readonly opts: SchedulerOptions) {
    this.concurrency = opts.concurrency ?? 4;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.retryMaxMs = opts.retryMaxMs ?? 5 * 60_000;
    this.random = opts.random ?? Math.random;
  }

  register<S extends z.ZodType>(kind: string, handler: JobHandler<S>): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.handlers.set(kind, handler as unknown as JobHandler<z.ZodType>);
  }

  /**
   * Adds a job inside the caller's transaction (nothing happens if its key exists). The timer is re-armed at
   * once; if the transaction rolls back, the wake-up finds nothing to do.
   */
  async schedule(db: Db, job: NewJob): Promise<boolean> {
    const inserted = await insertJob(db, job, this.opts.clock.now());
    if (inserted) {
      this.wakeAt(job.dueAt);
      await this.opts.announce?.(db, job.dueAt);
      const told = this.opts.onScheduled;
      if (told) afterCommit(db, () => told(job.dueAt));
    }
    return inserted;
  }

  /** A job was scheduled elsewhere (another thread) for `at`: look then. */
  wake(at: number): void {
    this.wakeAt(at);
  }

  async cancel(db: Db, key: string): Promise<void> {
    await cancelJob(db, key, this.opts.clock.now());
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.opts.soleInstance !== false) {
      const released = await releaseRunningJobs(this.opts.db, this.opts.clock.now());
      if (released) this.opts.logger.info('scheduler took back jobs left running', { released });
    }
    await this.reconcile();
    if (this.opts.pollEveryMs) this.poller = setInterval(() => this.pump(), this.opts.pollEveryMs).unref();
  }

  /**
   * Gives the failed jobs of kinds that allow it another round of attempts, reports the failed jobs left (their
   * kinds, keys and last errors) in the log, and arms itself again.
   */
  async reconcile(): Promise<void> {
    const { db, clock, logger } = this.opts;
    for (const [kind, handler] of this.handlers) {
      if (!handler.retryFailedOnStart) continue;
      const requeued = await requeueFailedJobs(db, kind, clock.now());
      if (requeued) logger.info('scheduler retries failed jobs', { kind, requeued });
    }
    const undone = await failedJobs(db, 20);
    if (undone.length) logger.error('jobs that failed for good and will not be retried', { count: undone.length, jobs: undone.map((j) => `${j.key}: ${j.lastError ?? 'no error recorded'}`) });
    this.reconcileTimer?.();
    if (!this.started) return;
    this.reconcileTimer = clock.setTimer(clock.now() + (this.opts.reconcileEveryMs ?? 3_600_000), () => {
      this.reconcile().catch((error: unknown) => logger.error('the scheduler could not reconcile', { error }));
    });
    this.pump();
  }

  /** Stops claiming work and resolves once the jobs already running have settled; the rest stays due. */
  async stop(): Promise<void> {
    this.started = false;
    this.reconcileTimer?.();
    this.reconcileTimer = undefined;
    clearInterval(this.poller);
    this.timer?.cancel();
    this.timer = undefined;
    // A pass under way may still claim jobs: they run, and stopping waits for them too.
    await this.pass;
    if (this.running > 0) await new Promise<void>((resolve) => this.stopWaiters.push(resolve));
  }

  /** Resolves when no job is running and none is due now (for tests and shutdown). */
  async idle(): Promise<void> {
    if (this.running === 0 && !this.pumping && !(await this.hasDueWork())) return;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async hasDueWork(): Promise<boolean> {
    const next = await nextWakeAt(this.opts.db);
    return next !== undefined && next <= this.opts.clock.now();
  }

  /** Arms the timer earlier if `at` comes before it (a new job); never later. */
  private wakeAt(at: number): void {
    // A pass under way may have read the jobs before this one: it looks again when it ends.
    if (this.pumping) this.pumpAgain = true;
    if (this.timer && this.timer.at <= at) return;
    this.arm(at);
  }

  /** Sets the one timer to exactly `at` (or none). */
  private arm(at: number | undefined): void {
    if (!this.started || this.timer?.at === at) return;
    this.timer?.cancel();
    this.timer = undefined;
    if (at === undefined) return;
    this.timer = {
      at,
      cancel: this.opts.clock.setTimer(at, () => {
        this.timer = undefined;
        this.pump();
      }),
    };
  }

  /** Claims what is due (as many as free slots allow), runs it, and re-arms the timer; one pass at a time. */
  private pump(): void {
    if (!this.started) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    // A pass may be set off inside a transaction (a job scheduled sooner): its claims and jobs stay out of it.
    this.pass = outsideTransactions(() => this.pumpOnce())
      .catch((error: unknown) => {
        // The database did not answer (Postgres restarting, say): look again shortly; every job stays in its row.
        this.opts.logger.error('the scheduler could not claim jobs', { error });
        this.arm(this.opts.clock.now() + CLAIM_RETRY_MS);
      })
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async pumpOnce(): Promise<void> {
    const free = this.concurrency - this.running;
    if (free > 0) {
      const token = randomUUID();
      const now = this.opts.clock.now();
      const claimed = await claimDueJobs(this.opts.db, now, free, this.leaseMs, token);
      if (this.opts.onClaim) for (const job of claimed) this.opts.onClaim(job, now - job.dueAt);
      for (const job of claimed) {
        this.running += 1;
        void this.runJob(job, token)
          // Only the database can fail here (settling the row): the lease runs out and the job runs again.
          .catch((error: unknown) => this.opts.logger.error('a job could not be settled', { job: job.key, error }))
          .finally(() => {
          this.running -= 1;
          if (this.running === 0) this.stopWaiters.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
      }
    }
    const next = await nextWakeAt(this.opts.db);
    // At full capacity, work that is already due waits for a slot: the next job to finish pumps again.
    const full = this.running >= this.concurrency;
    this.arm(full && next !== undefined && next <= this.opts.clock.now() ? undefined : next);
    if (this.running === 0 && !this.pumpAgain && (next === undefined || next > this.opts.clock.now())) {
      const waiters = this.idleWaiters.splice(0);
      waiters.forEach((resolve) => resolve());
    }
  }

  private async runJob(job: JobRow, token: string): Promise<void> {
    const { db, clock } = this.opts;
    const logger = this.opts.logger.child({ job: job.key, kind: job.kind, attempt: job.attempts });
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      await settleJob(db, job.id, token, clock.now(), { status: 'failed' }, `no handler for job kind ${job.kind}`);
      logger.error('job failed: unknown kind');
      return;
    }
    const parsed = handler.schema.safeParse(job.payload);
    if (!parsed.success) {
      await settleJob(db, job.id, token, clock.now(), { status: 'failed' }, `bad payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      logger.error('job failed: bad payload', { issues: parsed.error.issues.length });
      return;
    }
    const ctx: JobContext = { at: clock.now(), attempt: job.attempts, key: job.key };
    const stopRenewing = this.keepLease(job, token, logger);
    try {
      await withLogContext({ job: job.key, ...incidentOf(parsed.data) }, () => this.runHandler(job, token, handler, parsed.data, ctx, logger));
    } finally {
      stopRenewing();
    }
  }

  /** Renews the job's lease every third of it while it runs, so that only a dead run's jobs are taken over. */
  private keepLease(job: JobRow, token: string, logger: Logger): () => void {
    const { db, clock } = this.opts;
    const every = Math.max(1, Math.floor(this.leaseMs / 3));
    let stopped = false;
    let cancel: Cancel | undefined;
    const renewLater = (): void => {
      if (stopped) return;
      cancel = clock.setTimer(clock.now() + every, () => {
        renewLease(db, job.id, token, clock.now() + this.leaseMs).then(
          (held) => (held ? renewLater() : logger.warn('a running job lost its lease: another run may take it over')),
          (error: unknown) => {
            logger.error('a running job’s lease could not be renewed', { error });
            renewLater();
          },
        );
      });
    };
    renewLater();
    return () => {
      stopped = true;
      cancel?.();
    };
  }

  private async runHandler(job: JobRow, token: string, handler: JobHandler<z.ZodType>, payload: unknown, ctx: JobContext, logger: Logger): Promise<void> {
    const { db, clock } = this.opts;
    try {
      await handler.run(payload, ctx);
      await settleJob(db, job.id, token, clock.now(), { status: 'done' }, null);
    } catch (error) {
      if (error instanceof DeferError) {
        await settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt: clock.now() + error.delayMs, deferred: true }, error.message);
        logger.debug('job deferred', { reason: error.message, delayMs: error.delayMs });
        return;
      }
      if (error instanceof SlackCallError && error.code === 'rate_limited') {
        // Slack said when to come back: waiting for it is not a failed attempt, so a long 429 storm never makes a step give up.
        await settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt: clock.now() + this.backoffMs(1, error), deferred: true }, errorMessage(error));
        logger.warn('job waits for Slack’s rate limit', { retryAfterMs: error.retryAfterMs });
        return;
      }
      const maxAttempts = handler.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const retryable = error instanceof SlackCallError ? error.retryable : !(error instanceof PermanentError);
      if (retryable && job.attempts < maxAttempts) {
        const dueAt = clock.now() + this.backoffMs(job.attempts, error);
        await settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt }, errorMessage(error));
        logger.warn('job will be retried', { error: errorMessage(error), dueAt });
        return;
      }
      await settleJob(db, job.id, token, clock.now(), { status: 'failed' }, errorMessage(error));
      logger.error('job failed', { error });
      try {
        await handler.onGiveUp?.(payload, error, ctx);
      } catch (giveUpError) {
        logger.error('job give-up handler failed', { error: giveUpError });
      }
    }
  }

  private backoffMs(attempt: number, error: unknown): number {
    const exponential = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
    const jittered = exponential * (0.8 + 0.4 * this.random());
    const retryAfter = error instanceof SlackCallError ? (error.retryAfterMs ?? 0) : 0;
    return Math.round(Math.max(jittered, retryAfter));
  }
}

/** The incident a job is about, for its log lines: payloads name it `incidentId` by convention (shown as INC-n). */
function incidentOf(payload: unknown): { incident?: string } {
  const id = typeof payload === 'object' && payload !== null ? (payload as { incidentId?: unknown }).incidentId : undefined;
  return typeof id === 'number' ? { incident: `INC-${id}` } : {};
}
