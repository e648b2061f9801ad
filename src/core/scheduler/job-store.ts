/** The `jobs` table: enqueue (idempotent by key), claim with a lease, and settle. */
import { and, eq, inArray, lte, min, or, sql } from 'drizzle-orm';
import { jobs } from '../../../db/schema.ts';
import type { Db, DbOrTx } from '../db.ts';

export type JobRow = typeof jobs.$inferSelect;

export interface NewJob {
  kind: string;
  key: string;
  dueAt: number;
  payload: unknown;
}

/** Inserts the job unless one with the same key exists; returns whether it was inserted. */
export function insertJob(db: DbOrTx, job: NewJob, at: number): boolean {
  const result = db
    .insert(jobs)
    .values({ ...job, status: 'pending', createdAt: at, updatedAt: at })
    .onConflictDoNothing({ target: jobs.key })
    .run();
  return result.changes > 0;
}

export function cancelJob(db: DbOrTx, key: string, at: number): void {
  db.update(jobs)
    .set({ status: 'cancelled', updatedAt: at })
    .where(and(eq(jobs.key, key), inArray(jobs.status, ['pending', 'running'])))
    .run();
}

/** Claims up to `limit` due jobs (and ones whose lease ran out) in one transaction. */
export function claimDueJobs(db: Db, at: number, limit: number, leaseMs: number, token: string): JobRow[] {
  return db.transaction(
    (tx) => {
      const due = tx
        .select({ id: jobs.id })
        .from(jobs)
        .where(or(and(eq(jobs.status, 'pending'), lte(jobs.dueAt, at)), and(eq(jobs.status, 'running'), lte(jobs.leaseUntil, at))))
        .orderBy(jobs.dueAt)
        .limit(limit)
        .all();
      if (due.length === 0) return [];
      return tx
        .update(jobs)
        .set({ status: 'running', claimToken: token, leaseUntil: at + leaseMs, attempts: sql`${jobs.attempts} + 1`, updatedAt: at })
        .where(inArray(
          jobs.id,
          due.map((row) => row.id),
        ))
        .returning()
        .all()
        .sort((a, b) => a.dueAt - b.dueAt);
    },
    { behavior: 'immediate' },
  );
}

/** Settles a claimed job, unless another claim took it over (its lease ran out). */
export function settleJob(db: Db, id: number, token: string, at: number, outcome: { status: 'done' | 'failed' } | { status: 'pending'; dueAt: number }, lastError: string | null): boolean {
  const result = db
    .update(jobs)
    .set({ ...outcome, lastError, leaseUntil: null, claimToken: null, updatedAt: at })
    .where(and(eq(jobs.id, id), eq(jobs.claimToken, token), eq(jobs.status, 'running')))
    .run();
  return result.changes > 0;
}

/** When the scheduler must next wake up: the earliest pending job or running lease. */
export function nextWakeAt(db: Db): number | undefined {
  const pending = db.select({ at: min(jobs.dueAt) }).from(jobs).where(eq(jobs.status, 'pending')).get()?.at;
  const lease = db.select({ at: min(jobs.leaseUntil) }).from(jobs).where(eq(jobs.status, 'running')).get()?.at;
  const times = [pending, lease].filter((t): t is number => typeof t === 'number');
  return times.length ? Math.min(...times) : undefined;
}

/** On start, a single process owns the database: jobs it left running are due again now. */
export function releaseRunningJobs(db: Db, at: number): number {
  return db.update(jobs).set({ status: 'pending', leaseUntil: null, claimToken: null, updatedAt: at }).where(eq(jobs.status, 'running')).run().changes;
}

export function getJob(db: DbOrTx, key: string): JobRow | undefined {
  return db.select().from(jobs).where(eq(jobs.key, key)).get();
}
