/**
 * The rotas feature's queries, prepared once per database: overrides made from Slack, and the rota snapshots that
 * change DMs are measured against. Inside a use case's `transaction(db, …)`, call these with the same `db`.
 */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { rotaOverrides, rotaSnapshots } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';

export type OverrideRow = typeof rotaOverrides.$inferSelect;

const p = sql.placeholder;
const id = p('id');

const statements = preparedStatements((db) => ({
  insertOverride: db
    .insert(rotaOverrides)
    .values({ scheduleId: p('scheduleId'), userId: p('userId'), fromAt: p('fromAt'), toAt: p('toAt'), createdBy: p('createdBy'), createdAt: p('createdAt') })
    .returning({ id: rotaOverrides.id })
    .prepare(),
  getOverride: db.select().from(rotaOverrides).where(eq(rotaOverrides.id, id)).prepare(),
  removeOverride: db
    .update(rotaOverrides)
    .set({ removedBy: param('userId'), removedAt: param('at') })
    .where(and(eq(rotaOverrides.id, id), isNull(rotaOverrides.removedAt)))
    .prepare(),
  overridesVersion: db
    .select({ version: sql<string>`count(*) || ':' || coalesce(max(${rotaOverrides.id}), 0) || ':' || coalesce(max(${rotaOverrides.removedAt}), 0)` })
    .from(rotaOverrides)
    .prepare(),
  overridesEndingAfter: db
    .select()
    .from(rotaOverrides)
    .where(and(isNull(rotaOverrides.removedAt), gt(rotaOverrides.toAt, p('after'))))
    .orderBy(asc(rotaOverrides.fromAt))
    .prepare(),

  getSnapshot: db.select().from(rotaSnapshots).where(eq(rotaSnapshots.scheduleId, p('scheduleId'))).prepare(),
  saveSnapshot: db
    .insert(rotaSnapshots)
    .values({ scheduleId: p('scheduleId'), stretches: p('stretches'), takenAt: p('takenAt') })
    .onConflictDoUpdate({ target: rotaSnapshots.scheduleId, set: { stretches: sql`excluded.stretches`, takenAt: sql`excluded.taken_at` } })
    .prepare(),
}));

// ---------------------------------------------------------------------------------------------- overrides

export async function insertOverride(db: Db, override: { scheduleId: string; userId: string; fromAt: number; toAt: number; createdBy: string; createdAt: number }): Promise<number> {
  return (await statements(db).insertOverride.get(override))!.id;
}

export async function getOverride(db: Db, overrideId: number): Promise<OverrideRow | undefined> {
  return statements(db).getOverride.get({ id: overrideId });
}

/** Marks it removed (it stays as a record); returns whether it was still in force. */
export async function removeOverride(db: Db, overrideId: number, userId: string, at: number): Promise<boolean> {
  return (await statements(db).removeOverride.run({ id: overrideId, userId, at })).changes > 0;
}

/** Changes whenever an override is made or removed. */
export async function overridesVersion(db: Db): Promise<string> {
  return (await statements(db).overridesVersion.get())?.version ?? '';
}

/** Overrides not removed that end after `after`, in order of start. */
export async function overridesEndingAfter(db: Db, after: number): Promise<OverrideRow[]> {
  return statements(db).overridesEndingAfter.all({ after });
}

// ---------------------------------------------------------------------------------------------- snapshots

export type Stretch = { userId: string; start: number; end: number };

export async function getRotaSnapshot(db: Db, scheduleId: string): Promise<Stretch[] | undefined> {
  return (await statements(db).getSnapshot.get({ scheduleId }))?.stretches;
}

export async function saveRotaSnapshot(db: Db, scheduleId: string, stretches: Stretch[], takenAt: number): Promise<void> {
  await statements(db).saveSnapshot.run({ scheduleId, stretches, takenAt });
}
