/** The `jobs` table: enqueue (idempotent by key), claim with a lease, and settle. Prepared once per database. */
import { and, desc, eq, inArray, lte, min, or, sql } from 'drizzle-orm';
import { jobs } from '../../../db/schema.ts';
import { engineOf, exec, many, param, preparedStatements, type Db } from '../db.ts';

export type JobRow = typeof jobs.$inferSelect;

export interface NewJob {
  kind: string;
  key: string;
  dueAt: number;
  payload: unknown;
}

const statements = preparedStatements((db) => {
  const at = sql.placeholder('at');
  const isDue = or(and(eq(jobs.status, 'pending'), lte(jobs.dueAt, at)), and(eq(jobs.status, 'running'), lte(jobs.leaseUntil, at)));
  // Postgres: instances claiming at the same moment skip each other's rows instead of waiting for them.
  const due =
    engineOf(db) === 'postgres'
      ? sql`(select ${jobs.id} from ${jobs} where ${isDue} order by ${jobs.dueAt} limit ${sql.placeholder('limit')} for update skip locked)`
      : db.select({ id: jobs.id }).from(jobs).where(isDue).orderBy(jobs.dueAt).limit(sql.placeholder('limit'));
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
    renew: db
      .update(jobs)
      .set({ leaseUntil: param('leaseUntil') })
      .where(and(eq(jobs.id, sql.placeholder('id')), eq(jobs.claimToken, sql.placeholder('token')), eq(jobs.status, 'running')))
      .prepare(),
    nextPending: db.select({ at: min(jobs.dueAt) }).from(jobs).where(eq(jobs.status, 'pending')).prepare(),
    nextLease: db.select({ at: min(jobs.leaseUntil) }).from(jobs).where(eq(jobs.status, 'running')).prepare(),
    get: db.select().from(jobs).where(eq(jobs.key, sql.placeholder('key'))).prepare(),
  };
});

/** Inserts the job unless one with the same key exists; returns whether it was inserted. */
export async function insertJob(db: Db, job: NewJob, at: number): Promise<boolean> {
  return (await statements(db).insert.run({ ...job, at })).changes > 0;
}

export async function cancelJob(db: Db, key: string, at: number): Promise<void> {
  await statements(db).cancel.run({ key, at });
}

/** Claims up to `limit` due jobs (and ones whose lease ran out) in one statement. */
export async function claimDueJobs(db: Db, at: number, limit: number, leaseMs: number, token: string): Promise<JobRow[]> {
  const claimed = await statements(db).claim.all({ at, limit, leaseUntil: at + leaseMs, token });
  return claimed.sort((a, b) => a.dueAt - b.dueAt);
}

/** Extends a running job's lease; false when the claim was lost (the lease ran out and another run took it). */
export async function renewLease(db: Db, id: number, token: string, leaseUntil: number): Promise<boolean> {
  return (await statements(db).renew.run({ id, token, leaseUntil })).changes > 0;
}

/** `deferred`: the run waited for something (DeferError) and does not count as an attempt. */
export type Settlement = { status: 'done' | 'failed' } | { status: 'pending'; dueAt: number; deferred?: boolean };

/** Settles a claimed job, unless another claim took it over (its lease ran out). */
export async function settleJob(db: Db, id: number, token: string, at: number, outcome: Settlement, lastError: string | null): Promise<boolean> {
  const dueAt = outcome.status === 'pending' ? outcome.dueAt : null;
  const refund = outcome.status === 'pending' && outcome.deferred ? 1 : 0;
  return (await statements(db).settle.run({ id, token, at, status: outcome.status, dueAt, refund, lastError })).changes > 0;
}

/** When the scheduler must next wake up: the earliest pending job or running lease. */
export async function nextWakeAt(db: Db): Promise<number | undefined> {
  const stmts = statements(db);
  const times = [(await stmts.nextPending.get())?.at, (await stmts.nextLease.get())?.at].filter((t): t is number => typeof t === 'number');
  return times.length ? Math.min(...times) : undefined;
}

/** On start, when this process owns the database alone (SQLite): jobs it left running are due again now. */
export function releaseRunningJobs(db: Db, at: number): Promise<number> {
  return exec(db, db.update(jobs).set({ status: 'pending', leaseUntil: null, claimToken: null, updatedAt: at }).where(eq(jobs.status, 'running')));
}

/** Makes failed jobs of a kind due again now, with a fresh count of attempts. */
export function requeueFailedJobs(db: Db, kind: string, at: number): Promise<number> {
  return exec(db, db.update(jobs).set({ status: 'pending', attempts: 0, dueAt: at, updatedAt: at }).where(and(eq(jobs.kind, kind), eq(jobs.status, 'failed'))));
}

export function getJob(db: Db, key: string): Promise<JobRow | undefined> {
  return statements(db).get.get({ key });
}

/** Jobs that failed for good, newest first. */
export function failedJobs(db: Db, limit: number): Promise<JobRow[]> {
  return many(db, db.select().from(jobs).where(eq(jobs.status, 'failed')).orderBy(desc(jobs.updatedAt)).limit(limit));
}
