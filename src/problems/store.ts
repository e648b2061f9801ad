/**
 * The problem tickets' queries, prepared once per database: tickets, their checklist of actions, the
 * recurrences seen, and the webhook events waiting for delivery.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { problemActions, problemRecurrences, problems, webhookDeliveries } from '../../db/schema.ts';
import { many, param, preparedStatements, type Db } from '../core/db.ts';

export type ProblemRow = typeof problems.$inferSelect;
export type ActionRow = typeof problemActions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const p = sql.placeholder;
const bump = sql`${problems.revision} + 1`;

const statements = preparedStatements((db) => ({
  insert: db
    .insert(problems)
    .values({ incidentId: p('incidentId'), title: p('title'), description: p('description'), ownerId: p('ownerId'), priority: p('priority'), dueDate: p('dueDate'), status: 'open', createdBy: p('createdBy'), createdAt: p('at'), updatedAt: p('at') })
    .returning({ id: problems.id })
    .prepare(),
  insertAction: db
    .insert(problemActions)
    .values({ problemId: p('problemId'), position: p('position'), what: p('what'), ownerId: p('ownerId'), dueDate: p('dueDate'), status: 'open' })
    .prepare(),
  get: db.select().from(problems).where(eq(problems.id, p('id'))).prepare(),
  forIncident: db.select().from(problems).where(eq(problems.incidentId, p('incidentId'))).orderBy(asc(problems.id)).prepare(),
  actions: db.select().from(problemActions).where(eq(problemActions.problemId, p('problemId'))).orderBy(asc(problemActions.position)).prepare(),
  action: db.select().from(problemActions).where(eq(problemActions.id, p('id'))).prepare(),
  mine: db
    .select()
    .from(problems)
    .where(and(eq(problems.status, 'open'), or(eq(problems.ownerId, p('userId')), sql`${problems.id} in (select ${problemActions.problemId} from ${problemActions} where ${problemActions.ownerId} = ${p('userId')} and ${problemActions.status} = 'open')`)))
    .orderBy(asc(problems.dueDate), asc(problems.id))
    .limit(p('limit'))
    .prepare(),
  open: db.select().from(problems).where(eq(problems.status, 'open')).orderBy(asc(problems.dueDate), asc(problems.id)).limit(p('limit')).prepare(),
  all: db.select().from(problems).orderBy(desc(problems.id)).limit(p('limit')).prepare(),
  setActionDone: db
    .update(problemActions)
    .set({ status: 'done', doneBy: param('by'), doneAt: param('at') })
    .where(and(eq(problemActions.id, p('id')), eq(problemActions.status, 'open')))
    .prepare(),
  setOwner: db.update(problems).set({ ownerId: param('ownerId'), revision: bump, updatedAt: param('at') }).where(eq(problems.id, p('id'))).prepare(),
  setDue: db.update(problems).set({ dueDate: param('dueDate'), revision: bump, updatedAt: param('at') }).where(eq(problems.id, p('id'))).prepare(),
  touch: db.update(problems).set({ revision: bump, updatedAt: param('at') }).where(eq(problems.id, p('id'))).prepare(),
  resolve: db
    .update(problems)
    .set({ status: 'resolved', resolution: param('resolution'), resolvedBy: param('by'), resolvedAt: param('at'), revision: bump, updatedAt: param('at') })
    .where(and(eq(problems.id, p('id')), eq(problems.status, 'open')))
    .prepare(),
  recurrence: db.insert(problemRecurrences).values({ problemId: p('problemId'), incidentId: p('incidentId'), at: p('at') }).onConflictDoNothing().prepare(),
  recurrences: db.select().from(problemRecurrences).where(eq(problemRecurrences.problemId, p('problemId'))).orderBy(asc(problemRecurrences.at)).prepare(),
  insertDelivery: db
    .insert(webhookDeliveries)
    .values({ eventId: p('eventId'), type: p('type'), problemId: p('problemId'), body: p('body'), status: 'pending', createdAt: p('at') })
    .returning({ id: webhookDeliveries.id })
    .prepare(),
  delivery: db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, p('id'))).prepare(),
  settleDelivery: db
    .update(webhookDeliveries)
    .set({ status: param('status'), attempts: sql`${webhookDeliveries.attempts} + 1`, lastError: param('error'), deliveredAt: param('deliveredAt') })
    .where(eq(webhookDeliveries.id, p('id')))
    .prepare(),
}));

export async function insertProblem(db: Db, problem: { incidentId: number; title: string; description: string; ownerId: string; priority: string; dueDate: string; createdBy: string; at: number }): Promise<number> {
  return (await statements(db).insert.get(problem))!.id;
}

export async function insertAction(db: Db, action: { problemId: number; position: number; what: string; ownerId: string; dueDate: string }): Promise<void> {
  await statements(db).insertAction.run(action);
}

export async function getProblem(db: Db, id: number): Promise<ProblemRow | undefined> {
  return statements(db).get.get({ id });
}

export async function problemsOfIncident(db: Db, incidentId: number): Promise<ProblemRow[]> {
  return statements(db).forIncident.all({ incidentId });
}

export async function actionsOfProblem(db: Db, problemId: number): Promise<ActionRow[]> {
  return statements(db).actions.all({ problemId });
}

export async function getAction(db: Db, id: number): Promise<ActionRow | undefined> {
  return statements(db).action.get({ id });
}

/** Tickets for `/incident problems`: mine (owned, or with an action of mine), open, or all. */
export async function listProblems(db: Db, which: 'mine' | 'open' | 'all', userId: string, limit: number): Promise<ProblemRow[]> {
  const s = statements(db);
  if (which === 'mine') return s.mine.all({ userId, limit });
  return which === 'open' ? s.open.all({ limit }) : s.all.all({ limit });
}

export async function setActionDone(db: Db, id: number, by: string, at: number): Promise<boolean> {
  return (await statements(db).setActionDone.run({ id, by, at })).changes > 0;
}

export async function setOwner(db: Db, id: number, ownerId: string, at: number): Promise<void> {
  await statements(db).setOwner.run({ id, ownerId, at });
}

export async function setDue(db: Db, id: number, dueDate: string, at: number): Promise<void> {
  await statements(db).setDue.run({ id, dueDate, at });
}

/** Marks a change to the ticket (an action done) without changing its own columns. */
export async function touchProblem(db: Db, id: number, at: number): Promise<void> {
  await statements(db).touch.run({ id, at });
}

export async function resolveProblemRow(db: Db, id: number, resolution: string | null, by: string, at: number): Promise<boolean> {
  return (await statements(db).resolve.run({ id, resolution, by, at })).changes > 0;
}

/** Records that an incident recurred a ticket's problem; false when it was recorded already. */
export async function recordRecurrence(db: Db, problemId: number, incidentId: number, at: number): Promise<boolean> {
  return (await statements(db).recurrence.run({ problemId, incidentId, at })).changes > 0;
}

export async function recurrencesOf(db: Db, problemId: number): Promise<{ incidentId: number; at: number }[]> {
  return statements(db).recurrences.all({ problemId });
}

/** Open tickets of these incidents, oldest first. */
export async function openProblemsOfIncidents(db: Db, incidentIds: readonly number[]): Promise<ProblemRow[]> {
  if (!incidentIds.length) return [];
  return many(db, db.select().from(problems).where(and(inArray(problems.incidentId, [...incidentIds]), eq(problems.status, 'open'))).orderBy(asc(problems.id)));
}

export async function insertDelivery(db: Db, delivery: { eventId: string; type: string; problemId: number; body: string; at: number }): Promise<number> {
  return (await statements(db).insertDelivery.get(delivery))!.id;
}

export async function getDelivery(db: Db, id: number): Promise<DeliveryRow | undefined> {
  return statements(db).delivery.get({ id });
}

export async function settleDelivery(db: Db, id: number, outcome: { status: DeliveryRow['status']; error: string | null; deliveredAt: number | null }): Promise<void> {
  await statements(db).settleDelivery.run({ id, ...outcome });
}
