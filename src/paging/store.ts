/**
 * The paging feature's queries, prepared once per database: escalations, their steps and pages. Inside a use case's
 * `transaction(db, …)`, call these with the same `db` (the transaction is ambient in its async context).
 * JSON columns take plain values in inserts (drizzle encodes them) and JSON text through `param()` in updates.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { escalationSteps, escalations, pages } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';
import type { PolicySnapshot } from './escalation.ts';
import type { PageSubject } from './subject.ts';

export type EscalationRow = typeof escalations.$inferSelect;
export type StepRow = typeof escalationSteps.$inferSelect;
export type PageRow = typeof pages.$inferSelect;
export type StepStatus = StepRow['status'];

const p = sql.placeholder;
const id = p('id');
const bump = sql`${escalations.revision} + 1`;

const statements = preparedStatements((db) => ({
  insertEscalation: db
    .insert(escalations)
    .values({ incidentId: p('incidentId'), alertGroupId: p('alertGroupId'), policyId: p('policyId'), serviceId: p('serviceId'), policy: p('policy'), status: 'active', startedBy: p('startedBy'), startedAt: p('startedAt') })
    .returning({ id: escalations.id })
    .prepare(),
  getEscalation: db.select().from(escalations).where(eq(escalations.id, id)).prepare(),
  escalationsOf: db.select().from(escalations).where(eq(escalations.incidentId, p('incidentId'))).orderBy(asc(escalations.id)).prepare(),
  escalationsOfAlertGroup: db.select().from(escalations).where(eq(escalations.alertGroupId, p('alertGroupId'))).orderBy(asc(escalations.id)).prepare(),
  moveEscalation: db
    .update(escalations)
    .set({ level: param('level'), loop: param('loop'), nextJobKey: param('nextJobKey'), revision: bump })
    .where(and(eq(escalations.id, id), eq(escalations.status, 'active')))
    .prepare(),
  acknowledgeEscalation: db
    .update(escalations)
    .set({ status: 'acknowledged', acknowledgedBy: param('userId'), acknowledgedAt: param('at'), nextJobKey: null, revision: bump })
    .where(and(eq(escalations.id, id), inArray(escalations.status, ['active', 'exhausted'])))
    .prepare(),
  exhaustEscalation: db
    .update(escalations)
    .set({ status: 'exhausted', exhaustedAt: param('at'), nextJobKey: null, revision: bump })
    .where(and(eq(escalations.id, id), eq(escalations.status, 'active')))
    .prepare(),
  setAlert: db.update(escalations).set({ alertTs: param('ts') }).where(eq(escalations.id, id)).prepare(),
  setAnnouncementAlert: db.update(escalations).set({ announcementAlertTs: param('ts') }).where(eq(escalations.id, id)).prepare(),

  insertStep: db
    .insert(escalationSteps)
    .values({ escalationId: p('escalationId'), level: p('level'), loop: p('loop'), targets: p('targets'), status: p('status'), startedAt: p('startedAt'), timeoutAt: p('timeoutAt') })
    .onConflictDoNothing()
    .returning({ id: escalationSteps.id })
    .prepare(),
  stepsOf: db.select().from(escalationSteps).where(eq(escalationSteps.escalationId, p('escalationId'))).orderBy(asc(escalationSteps.id)).prepare(),
  settleSteps: db
    .update(escalationSteps)
    .set({ status: param('status') })
    .where(and(eq(escalationSteps.escalationId, p('escalationId')), eq(escalationSteps.status, 'paging')))
    .prepare(),
  setStepChannelTs: db.update(escalationSteps).set({ channelTs: param('ts') }).where(eq(escalationSteps.id, id)).prepare(),

  insertPage: db
    .insert(pages)
    .values({ incidentId: p('incidentId'), alertGroupId: p('alertGroupId'), escalationId: p('escalationId'), stepId: p('stepId'), userId: p('userId'), via: p('via'), status: 'pending', pagedAt: p('pagedAt') })
    .onConflictDoNothing()
    .prepare(),
  getPage: db.select().from(pages).where(eq(pages.id, id)).prepare(),
  pagesOf: db.select().from(pages).where(eq(pages.escalationId, p('escalationId'))).orderBy(asc(pages.id)).prepare(),
  openPagesFor: db
    .select({ page: pages })
    .from(pages)
    .innerJoin(escalations, eq(escalations.id, pages.escalationId))
    .where(and(eq(pages.userId, p('userId')), eq(pages.status, 'pending'), inArray(escalations.status, ['active', 'exhausted'])))
    .orderBy(asc(pages.id))
    .prepare(),
  pagesOfUserForIncident: db
    .select()
    .from(pages)
    .where(and(eq(pages.incidentId, p('incidentId')), eq(pages.userId, p('userId'))))
    .orderBy(desc(pages.id))
    .prepare(),
  acknowledgePage: db.update(pages).set({ status: 'acknowledged', acknowledgedAt: param('at') }).where(and(eq(pages.id, id), eq(pages.status, 'pending'))).prepare(),
  bumpRevision: db.update(escalations).set({ revision: bump }).where(eq(escalations.id, id)).prepare(),
  cancelEscalation: db
    .update(escalations)
    .set({ status: 'cancelled', nextJobKey: null, revision: bump })
    .where(and(eq(escalations.id, id), inArray(escalations.status, ['active', 'exhausted'])))
    .prepare(),
  cancelPages: db.update(pages).set({ status: 'cancelled' }).where(and(eq(pages.escalationId, p('escalationId')), eq(pages.status, 'pending'))).prepare(),
  answerPages: db.update(pages).set({ status: 'answered' }).where(and(eq(pages.escalationId, p('escalationId')), eq(pages.status, 'pending'))).prepare(),
  setPageDm: db.update(pages).set({ dmChannel: param('channel'), dmTs: param('ts'), deliveryError: null }).where(eq(pages.id, id)).prepare(),
  setPageDeliveryError: db.update(pages).set({ deliveryError: param('error') }).where(eq(pages.id, id)).prepare(),

  latestEscalationForPolicy: db
    .select()
    .from(escalations)
    .where(and(eq(escalations.incidentId, p('incidentId')), eq(escalations.policyId, p('policyId'))))
    .orderBy(desc(escalations.id))
    .limit(1)
    .prepare(),
}));

// ---------------------------------------------------------------------------------------------- escalations

export type NewEscalation = PageSubject & {
  policyId: string | null;
  serviceId: string | null;
  policy: PolicySnapshot;
  startedBy: string;
  startedAt: number;
};

export async function insertEscalation(db: Db, escalation: NewEscalation): Promise<number> {
  return (await statements(db).insertEscalation.get({ ...escalation }))!.id;
}

export async function getEscalation(db: Db, escalationId: number): Promise<EscalationRow | undefined> {
  return statements(db).getEscalation.get({ id: escalationId });
}

/** Every escalation for the subject, oldest first. */
export async function escalationsOf(db: Db, subject: PageSubject): Promise<EscalationRow[]> {
  if (subject.incidentId !== null) return statements(db).escalationsOf.all({ incidentId: subject.incidentId });
  return statements(db).escalationsOfAlertGroup.all({ alertGroupId: subject.alertGroupId });
}

/** The most recent escalation of this policy for the incident (to refuse starting a second one while it runs). */
export async function latestEscalationForPolicy(db: Db, incidentId: number, policyId: string): Promise<EscalationRow | undefined> {
  return statements(db).latestEscalationForPolicy.get({ incidentId, policyId });
}

export async function moveEscalation(db: Db, escalationId: number, position: { level: number; loop: number }, nextJobKey: string | null): Promise<boolean> {
  return (await statements(db).moveEscalation.run({ id: escalationId, ...position, nextJobKey })).changes > 0;
}

/** Marks it acknowledged if it was still waiting (active or exhausted); returns whether this call did. */
export async function acknowledgeEscalation(db: Db, escalationId: number, userId: string, at: number): Promise<boolean> {
  return (await statements(db).acknowledgeEscalation.run({ id: escalationId, userId, at })).changes > 0;
}

export async function exhaustEscalation(db: Db, escalationId: number, at: number): Promise<boolean> {
  return (await statements(db).exhaustEscalation.run({ id: escalationId, at })).changes > 0;
}

export async function setEscalationAlert(db: Db, escalationId: number, where: 'channel' | 'announcement', ts: string): Promise<void> {
  await (where === 'channel' ? statements(db).setAlert : statements(db).setAnnouncementAlert).run({ id: escalationId, ts });
}

// ---------------------------------------------------------------------------------------------- steps and pages

export interface NewStep {
  escalationId: number;
  level: number;
  loop: number;
  targets: string[];
  status: StepStatus;
  startedAt: number;
  timeoutAt: number | null;
}

/** Inserts the step unless that position was already taken (a job run twice); returns its id or undefined. */
export async function insertStep(db: Db, step: NewStep): Promise<number | undefined> {
  return (await statements(db).insertStep.get({ ...step }))?.id;
}

export async function stepsOf(db: Db, escalationId: number): Promise<StepRow[]> {
  return statements(db).stepsOf.all({ escalationId });
}

/** Every step of the escalation still paging becomes `status` (escalated, acknowledged, exhausted). */
export async function settleSteps(db: Db, escalationId: number, status: StepStatus): Promise<void> {
  await statements(db).settleSteps.run({ escalationId, status });
}

export async function setStepChannelTs(db: Db, stepId: number, ts: string): Promise<void> {
  await statements(db).setStepChannelTs.run({ id: stepId, ts });
}

export async function insertPage(db: Db, page: PageSubject & { escalationId: number; stepId: number; userId: string; via: string; pagedAt: number }): Promise<void> {
  await statements(db).insertPage.run(page);
}

export async function getPage(db: Db, pageId: number): Promise<PageRow | undefined> {
  return statements(db).getPage.get({ id: pageId });
}

export async function pagesOf(db: Db, escalationId: number): Promise<PageRow[]> {
  return statements(db).pagesOf.all({ escalationId });
}

/** Pages addressed to this person that still wait for an acknowledgement, oldest first. */
export async function openPagesFor(db: Db, userId: string): Promise<PageRow[]> {
  return (await statements(db).openPagesFor.all({ userId })).map((row) => row.page);
}

/** Every page this person got for the incident, newest first. */
export async function pagesOfUserForIncident(db: Db, userId: string, incidentId: number): Promise<PageRow[]> {
  return statements(db).pagesOfUserForIncident.all({ userId, incidentId });
}

export async function acknowledgePage(db: Db, pageId: number, at: number): Promise<void> {
  await statements(db).acknowledgePage.run({ id: pageId, at });
}

/** Someone acknowledged the escalation: everyone else's pending page is answered. */
/** Withdraws a running escalation (the incident was resolved); returns whether it was running. */
/** Something the escalation's messages show changed outside it (the incident channel appeared). */
export async function bumpEscalationRevision(db: Db, escalationId: number): Promise<void> {
  await statements(db).bumpRevision.run({ id: escalationId });
}

export async function cancelEscalation(db: Db, escalationId: number): Promise<boolean> {
  return (await statements(db).cancelEscalation.run({ id: escalationId })).changes > 0;
}

export async function cancelPages(db: Db, escalationId: number): Promise<void> {
  await statements(db).cancelPages.run({ escalationId });
}

export async function answerPages(db: Db, escalationId: number): Promise<void> {
  await statements(db).answerPages.run({ escalationId });
}

export async function setPageDm(db: Db, pageId: number, channel: string, ts: string): Promise<void> {
  await statements(db).setPageDm.run({ id: pageId, channel, ts });
}

export async function setPageDeliveryError(db: Db, pageId: number, error: string): Promise<void> {
  await statements(db).setPageDeliveryError.run({ id: pageId, error });
}
