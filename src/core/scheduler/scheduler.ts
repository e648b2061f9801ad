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
import type { Db } from '../db.ts';
import { DeferError, errorMessage, PermanentError } from '../errors.ts';
import { withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import { SlackCallError } from '../slack-gateway.ts';
import { cancelJob, claimDueJobs, failedJobs, insertJob, nextWakeAt, releaseRunningJobs, requeueFailedJobs, settleJob, type JobRow, type NewJob } from './job-store.ts';

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
  /** How long a claim holds before another run may take the job over. */
  leaseMs?: number;
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
  schedule(db: Db, job: NewJob): boolean {
    const inserted = insertJob(db, job, this.opts.clock.now());
    if (inserted) {
      this.wakeAt(job.dueAt);
      // Transactions are synchronous: by the next turn of the event loop this one has committed (or not).
      const told = this.opts.onScheduled;
      if (told) setImmediate(() => told(job.dueAt));
    }
    return inserted;
  }

  /** A job was scheduled elsewhere (another thread) for `at`: look then. */
  wake(at: number): void {
    this.wakeAt(at);
  }

  cancel(db: Db, key: string): void {
    cancelJob(db, key, this.opts.clock.now());
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const released = releaseRunningJobs(this.opts.db, this.opts.clock.now());
    if (released) this.opts.logger.info('scheduler took back jobs left running', { released });
    this.reconcile();
  }

  /**
   * Gives the failed jobs of kinds that allow it another round of attempts, reports the failed jobs left (their
   * kinds, keys and last errors) in the log, and arms itself again.
   */
  reconcile(): void {
    const { db, clock, logger } = this.opts;
    for (const [kind, handler] of this.handlers) {
      if (!handler.retryFailedOnStart) continue;
      const requeued = requeueFailedJobs(db, kind, clock.now());
      if (requeued) logger.info('scheduler retries failed jobs', { kind, requeued });
    }
    const undone = failedJobs(db, 20);
    if (undone.length) logger.error('jobs that failed for good and will not be retried', { count: undone.length, jobs: undone.map((j) => `${j.key}: ${j.lastError ?? 'no error recorded'}`) });
    this.reconcileTimer?.();
    if (!this.started) return;
    this.reconcileTimer = clock.setTimer(clock.now() + (this.opts.reconcileEveryMs ?? 3_600_000), () => this.reconcile());
    this.pump();
  }

  /** Stops claiming work and resolves once the jobs already running have settled; the rest stays due. */
  async stop(): Promise<void> {
    this.started = false;
    this.reconcileTimer?.();
    this.reconcileTimer = undefined;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.running > 0) await new Promise<void>((resolve) => this.stopWaiters.push(resolve));
  }

  /** Resolves when no job is running and none is due now (for tests and shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && !this.hasDueWork()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private hasDueWork(): boolean {
    const next = nextWakeAt(this.opts.db);
    return next !== undefined && next <= this.opts.clock.now();
  }

  /** Arms the timer earlier if `at` comes before it (a new job); never later. */
  private wakeAt(at: number): void {
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

  /** Claims what is due (as many as free slots allow), runs it, and re-arms the timer. */
  private pump(): void {
    if (!this.started || this.pumping) return;
    this.pumping = true;
    try {
      const free = this.concurrency - this.running;
      if (free > 0) {
        const token = randomUUID();
        const now = this.opts.clock.now();
        const claimed = claimDueJobs(this.opts.db, now, free, this.leaseMs, token);
        if (this.opts.onClaim) for (const job of claimed) this.opts.onClaim(job, now - job.dueAt);
        for (const job of claimed) {
          this.running += 1;
          void this.runJob(job, token).finally(() => {
            this.running -= 1;
            if (this.running === 0) this.stopWaiters.splice(0).forEach((resolve) => resolve());
            this.pump();
          });
        }
      }
      const next = nextWakeAt(this.opts.db);
      // At full capacity, work that is already due waits for a slot: the next job to finish pumps again.
      const full = this.running >= this.concurrency;
      this.arm(full && next !== undefined && next <= this.opts.clock.now() ? undefined : next);
      if (this.running === 0 && (next === undefined || next > this.opts.clock.now())) {
        const waiters = this.idleWaiters.splice(0);
        waiters.forEach((resolve) => resolve());
      }
    } finally {
      this.pumping = false;
    }
  }

  private async runJob(job: JobRow, token: string): Promise<void> {
    const { db, clock } = this.opts;
    const logger = this.opts.logger.child({ job: job.key, kind: job.kind, attempt: job.attempts });
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      settleJob(db, job.id, token, clock.now(), { status: 'failed' }, `no handler for job kind ${job.kind}`);
      logger.error('job failed: unknown kind');
      return;
    }
    const parsed = handler.schema.safeParse(job.payload);
    if (!parsed.success) {
      settleJob(db, job.id, token, clock.now(), { status: 'failed' }, `bad payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      logger.error('job failed: bad payload', { issues: parsed.error.issues.length });
      return;
    }
    const ctx: JobContext = { at: clock.now(), attempt: job.attempts, key: job.key };
    await withLogContext({ job: job.key, ...incidentOf(parsed.data) }, () => this.runHandler(job, token, handler, parsed.data, ctx, logger));
  }

  private async runHandler(job: JobRow, token: string, handler: JobHandler<z.ZodType>, payload: unknown, ctx: JobContext, logger: Logger): Promise<void> {
    const { db, clock } = this.opts;
    try {
      await handler.run(payload, ctx);
      settleJob(db, job.id, token, clock.now(), { status: 'done' }, null);
    } catch (error) {
      if (error instanceof DeferError) {
        settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt: clock.now() + error.delayMs, deferred: true }, error.message);
        logger.debug('job deferred', { reason: error.message, delayMs: error.delayMs });
        return;
      }
      if (error instanceof SlackCallError && error.code === 'rate_limited') {
        // Slack said when to come back: waiting for it is not a failed attempt, so a long 429 storm never makes a step give up.
        settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt: clock.now() + this.backoffMs(1, error), deferred: true }, errorMessage(error));
        logger.warn('job waits for Slack’s rate limit', { retryAfterMs: error.retryAfterMs });
        return;
      }
      const maxAttempts = handler.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const retryable = error instanceof SlackCallError ? error.retryable : !(error instanceof PermanentError);
      if (retryable && job.attempts < maxAttempts) {
        const dueAt = clock.now() + this.backoffMs(job.attempts, error);
        settleJob(db, job.id, token, clock.now(), { status: 'pending', dueAt }, errorMessage(error));
        logger.warn('job will be retried', { error: errorMessage(error), dueAt });
        return;
      }
      settleJob(db, job.id, token, clock.now(), { status: 'failed' }, errorMessage(error));
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
    return Math.max(jittered, retryAfter);
  }
}

/** The incident a job is about, for its log lines: payloads name it `incidentId` by convention (shown as INC-n). */
function incidentOf(payload: unknown): { incident?: string } {
  const id = typeof payload === 'object' && payload !== null ? (payload as { incidentId?: unknown }).incidentId : undefined;
  return typeof id === 'number' ? { incident: `INC-${id}` } : {};
}
