/** The `jobs` table: enqueue (idempotent by key), claim with a lease, and settle. Prepared once per database. */
import { and, desc, eq, inArray, lte, min, or, sql } from 'drizzle-orm';
import { jobs } from '../../../db/schema.ts';
import { param, preparedStatements, type Db } from '../db.ts';

export type JobRow = typeof jobs.$inferSelect;

export interface NewJob {
  kind: string;
  key: string;
  dueAt: number;
  payload: unknown;
}

const statements = preparedStatements((db) => {
  const at = sql.placeholder('at');
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(or(and(eq(jobs.status, 'pending'), lte(jobs.dueAt, at)), and(eq(jobs.status, 'running'), lte(jobs.leaseUntil, at))))
    .orderBy(jobs.dueAt)
    .limit(sql.placeholder('limit'));
  return {
    insert: db
      .insert(jobs)
      .values({ kind: sql.placeholder('kind'), key: sql.placeholder('key'), dueAt: sql.placeholder('dueAt'), payload: sql.placeholder('payload'), status: 'pending', createdAt: at, updatedAt: at })
      .onConflictDoNothing({ target: jobs.key })
      .prepare(),
    cancel: db
      .update(jobs)
      .set({ status: 'cancelled', updatedAt: param('at') })
      .where(and(eq(jobs.key, sql.placeholder('key')), inArray(jobs.status, ['pending', 'running'])))
      .prepare(),
    claim: db
      .update(jobs)
      .set({ status: 'running', claimToken: param('token'), leaseUntil: param('leaseUntil'), attempts: sql`${jobs.attempts} + 1`, updatedAt: param('at') })
      .where(inArray(jobs.id, due))
      .returning()
      .prepare(),
    settle: db
      .update(jobs)
      .set({ status: param('status'), dueAt: sql`coalesce(${param('dueAt')}, ${jobs.dueAt})`, attempts: sql`${jobs.attempts} - ${param('refund')}`, lastError: param('lastError'), leaseUntil: null, claimToken: null, updatedAt: param('at') })
      .where(and(eq(jobs.id, sql.placeholder('id')), eq(jobs.claimToken, sql.placeholder('token')), eq(jobs.status, 'running')))
      .prepare(),
    nextPending: db.select({ at: min(jobs.dueAt) }).from(jobs).where(eq(jobs.status, 'pending')).prepare(),
    nextLease: db.select({ at: min(jobs.leaseUntil) }).from(jobs).where(eq(jobs.status, 'running')).prepare(),
    get: db.select().from(jobs).where(eq(jobs.key, sql.placeholder('key'))).prepare(),
  };
});

/** Inserts the job unless one with the same key exists; returns whether it was inserted. */
export function insertJob(db: Db, job: NewJob, at: number): boolean {
  return statements(db).insert.run({ ...job, at }).changes > 0;
}

export function cancelJob(db: Db, key: string, at: number): void {
  statements(db).cancel.run({ key, at });
}

/** Claims up to `limit` due jobs (and ones whose lease ran out) in one statement. */
export function claimDueJobs(db: Db, at: number, limit: number, leaseMs: number, token: string): JobRow[] {
  return statements(db)
    .claim.all({ at, limit, leaseUntil: at + leaseMs, token })
    .sort((a, b) => a.dueAt - b.dueAt);
}

/** `deferred`: the run waited for something (DeferError) and does not count as an attempt. */
export type Settlement = { status: 'done' | 'failed' } | { status: 'pending'; dueAt: number; deferred?: boolean };

/** Settles a claimed job, unless another claim took it over (its lease ran out). */
export function settleJob(db: Db, id: number, token: string, at: number, outcome: Settlement, lastError: string | null): boolean {
  const dueAt = outcome.status === 'pending' ? outcome.dueAt : null;
  const refund = outcome.status === 'pending' && outcome.deferred ? 1 : 0;
  return statements(db).settle.run({ id, token, at, status: outcome.status, dueAt, refund, lastError }).changes > 0;
}

/** When the scheduler must next wake up: the earliest pending job or running lease. */
export function nextWakeAt(db: Db): number | undefined {
  const stmts = statements(db);
  const times = [stmts.nextPending.get()?.at, stmts.nextLease.get()?.at].filter((t): t is number => typeof t === 'number');
  return times.length ? Math.min(...times) : undefined;
}

/** On start, a single process owns the database: jobs it left running are due again now. */
export function releaseRunningJobs(db: Db, at: number): number {
  return db.update(jobs).set({ status: 'pending', leaseUntil: null, claimToken: null, updatedAt: at }).where(eq(jobs.status, 'running')).run().changes;
}

/** Makes failed jobs of a kind due again now, with a fresh count of attempts. */
export function requeueFailedJobs(db: Db, kind: string, at: number): number {
  return db.update(jobs).set({ status: 'pending', attempts: 0, dueAt: at, updatedAt: at }).where(and(eq(jobs.kind, kind), eq(jobs.status, 'failed'))).run().changes;
}

export function getJob(db: Db, key: string): JobRow | undefined {
  return statements(db).get.get({ key });
}

/** Jobs that failed for good, newest first. */
export function failedJobs(db: Db, limit: number): JobRow[] {
  return db.select().from(jobs).where(eq(jobs.status, 'failed')).orderBy(desc(jobs.updatedAt)).limit(limit).all();
}
