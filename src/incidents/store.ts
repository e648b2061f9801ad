/**
 * The incidents feature's queries, prepared once per database. They run inside a use case's
 * `transaction(db, …)` when called from its callback (the transaction is ambient in its async context).
 */
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { incidentRoles, incidents, timelineEvents } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';
import type { Incident } from './incident.ts';
import type { Severity } from './severity.ts';
import type { Status } from './status.ts';

export interface NewIncident {
  title: string;
  summary: string;
  severity: Severity;
  serviceId: string | null;
  isPrivate: boolean;
  isDrill: boolean;
  declaredBy: string;
  declaredAt: number;
}

/**
 * What deciding who may act on an incident needs (its channel, whether it is private, whether it is closed):
 * read on every command that names an incident, so it is three columns rather than the whole incident.
 */
export interface IncidentAccess {
  channelId: string | null;
  isPrivate: boolean;
  closedAt: number | null;
}

export type NewTimelineEvent = typeof timelineEvents.$inferInsert;
/**
 * Adds a timeline entry in the caller's transaction and returns its id (undefined when its key exists): the
 * timeline feature's addTimelineEvent, given to the use cases that record one, so that it stays the one writer.
 */
export type AddTimelineEvent = (db: Db, event: NewTimelineEvent) => Promise<number | undefined>;
export type Role = (typeof incidentRoles.$inferSelect)['role'];
export type TimelineEvent = typeof timelineEvents.$inferSelect;
export type IncidentRole = typeof incidentRoles.$inferSelect;

const p = sql.placeholder;
const id = p('id');
const bump = sql`${incidents.revision} + 1`;

const statements = preparedStatements((db) => ({
  insertIncident: db
    .insert(incidents)
    .values({ title: p('title'), summary: p('summary'), severity: p('severity'), serviceId: p('serviceId'), isPrivate: p('isPrivate'), isDrill: p('isDrill'), declaredBy: p('declaredBy'), declaredAt: p('declaredAt'), status: 'investigating', updatedAt: p('declaredAt') })
    .returning({ id: incidents.id })
    .prepare(),
  assignRole: db
    .insert(incidentRoles)
    .values({ incidentId: p('incidentId'), role: p('role'), userId: p('userId'), assignedBy: p('assignedBy'), assignedAt: p('at') })
    .onConflictDoUpdate({ target: [incidentRoles.incidentId, incidentRoles.role], set: { userId: sql`excluded.user_id`, assignedBy: sql`excluded.assigned_by`, assignedAt: sql`excluded.assigned_at` } })
    .prepare(),
  getIncident: db
    .select({ incident: incidents, leadId: incidentRoles.userId })
    .from(incidents)
    .leftJoin(incidentRoles, and(eq(incidentRoles.incidentId, incidents.id), eq(incidentRoles.role, 'lead')))
    .where(eq(incidents.id, id))
    .prepare(),
  access: db.select({ channelId: incidents.channelId, isPrivate: incidents.isPrivate, closedAt: incidents.closedAt }).from(incidents).where(eq(incidents.id, id)).prepare(),
  idByChannel: db.select({ id: incidents.id }).from(incidents).where(eq(incidents.channelId, p('channelId'))).prepare(),
  setChannel: db.update(incidents).set({ channelId: param('channelId'), channelName: param('channelName'), updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setSummary: db.update(incidents).set({ summaryTs: param('ts'), updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setAnnouncement: db.update(incidents).set({ announcementChannelId: param('channelId'), announcementTs: param('ts'), updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setProvisioning: db.update(incidents).set({ provisioning: param('state'), provisioningError: param('error'), updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  recordAcknowledgement: db
    .update(incidents)
    .set({ acknowledgedAt: param('at'), acknowledgedBy: param('userId'), updatedAt: param('at') })
    .where(and(eq(incidents.id, id), sql`${incidents.acknowledgedAt} is null`))
    .prepare(),
  setStatus: db
    .update(incidents)
    .set({ status: param('status'), resolvedAt: param('resolvedAt'), resolution: param('resolution'), revision: bump, updatedAt: param('at') })
    .where(eq(incidents.id, id))
    .prepare(),
  setSeverity: db.update(incidents).set({ severity: param('severity'), revision: bump, updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setImpact: db.update(incidents).set({ impactStartedAt: param('startedAt'), impactEndedAt: param('endedAt'), revision: bump, updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setClosed: db.update(incidents).set({ closedAt: param('at'), revision: bump, updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setLastUpdate: db.update(incidents).set({ lastUpdateAt: param('at'), revision: bump, updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  setLastReminded: db.update(incidents).set({ lastRemindedAt: param('at'), updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  bumpRevision: db.update(incidents).set({ revision: bump, updatedAt: param('at') }).where(eq(incidents.id, id)).prepare(),
  rolesOf: db.select().from(incidentRoles).where(eq(incidentRoles.incidentId, p('incidentId'))).prepare(),
  openIncidents: db
    .select({ incident: incidents, leadId: incidentRoles.userId })
    .from(incidents)
    .leftJoin(incidentRoles, and(eq(incidentRoles.incidentId, incidents.id), eq(incidentRoles.role, 'lead')))
    .where(ne(incidents.status, 'resolved'))
    .orderBy(desc(incidents.declaredAt))
    .limit(p('limit'))
    .prepare(),
  lastUpdate: db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, p('incidentId')), eq(timelineEvents.kind, 'update'), isNull(timelineEvents.deletedAt)))
    .orderBy(desc(timelineEvents.at), desc(timelineEvents.id))
    .limit(1)
    .prepare(),
  timelineEvent: db.select().from(timelineEvents).where(eq(timelineEvents.id, id)).prepare(),
  timeline: db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, p('incidentId'))).orderBy(timelineEvents.at, timelineEvents.id).prepare(),
}));

/** Inserts the incident and returns its id (the INC number), allocated by the database in the caller's transaction. */
export async function insertIncident(db: Db, incident: NewIncident): Promise<number> {
  return (await statements(db).insertIncident.get({ ...incident }))!.id;
}

export async function assignRole(db: Db, incidentId: number, role: Role, userId: string, assignedBy: string, at: number): Promise<void> {
  await statements(db).assignRole.run({ incidentId, role, userId, assignedBy, at });
}

export async function getIncident(db: Db, incidentId: number): Promise<Incident | undefined> {
  const row = await statements(db).getIncident.get({ id: incidentId });
  return row ? { ...row.incident, leadId: row.leadId ?? row.incident.declaredBy } : undefined;
}

export async function getIncidentAccess(db: Db, incidentId: number): Promise<IncidentAccess | undefined> {
  return statements(db).access.get({ id: incidentId });
}

export async function findIncidentIdByChannel(db: Db, channelId: string): Promise<number | undefined> {
  return (await statements(db).idByChannel.get({ channelId }))?.id;
}

export async function setIncidentChannel(db: Db, incidentId: number, channel: { id: string; name: string }, at: number): Promise<void> {
  await statements(db).setChannel.run({ id: incidentId, channelId: channel.id, channelName: channel.name, at });
}

export async function setSummaryMessage(db: Db, incidentId: number, ts: string, at: number): Promise<void> {
  await statements(db).setSummary.run({ id: incidentId, ts, at });
}

export async function setAnnouncement(db: Db, incidentId: number, channelId: string, ts: string, at: number): Promise<void> {
  await statements(db).setAnnouncement.run({ id: incidentId, channelId, ts, at });
}

/** Whether the channel, summary and announcement exist yet (`done`), or why not (`failed`). */
export async function setProvisioning(db: Db, incidentId: number, state: Incident['provisioning'], error: string | null, at: number): Promise<void> {
  await statements(db).setProvisioning.run({ id: incidentId, state, error, at });
}

export async function listTimeline(db: Db, incidentId: number): Promise<TimelineEvent[]> {
  return statements(db).timeline.all({ incidentId });
}

/** Records the incident's first acknowledgement; later ones leave it as it is. */
export async function recordAcknowledgement(db: Db, incidentId: number, userId: string, at: number): Promise<void> {
  await statements(db).recordAcknowledgement.run({ id: incidentId, userId, at });
}

export async function setStatus(db: Db, incidentId: number, change: { status: Status; resolvedAt: number | null; resolution: string | null }, at: number): Promise<void> {
  await statements(db).setStatus.run({ id: incidentId, ...change, at });
}

export async function setSeverity(db: Db, incidentId: number, severity: Severity, at: number): Promise<void> {
  await statements(db).setSeverity.run({ id: incidentId, severity, at });
}

export async function setImpact(db: Db, incidentId: number, startedAt: number | null, endedAt: number | null, at: number): Promise<void> {
  await statements(db).setImpact.run({ id: incidentId, startedAt, endedAt, at });
}

export async function setClosed(db: Db, incidentId: number, at: number): Promise<void> {
  await statements(db).setClosed.run({ id: incidentId, at });
}

export async function setLastUpdate(db: Db, incidentId: number, at: number): Promise<void> {
  await statements(db).setLastUpdate.run({ id: incidentId, at });
}

export async function setLastReminded(db: Db, incidentId: number, at: number): Promise<void> {
  await statements(db).setLastReminded.run({ id: incidentId, at });
}

/** Marks a change the incident's surfaces show (a role, a linked message) without changing its own columns. */
export async function bumpRevision(db: Db, incidentId: number, at: number): Promise<void> {
  await statements(db).bumpRevision.run({ id: incidentId, at });
}

export async function rolesOf(db: Db, incidentId: number): Promise<IncidentRole[]> {
  return statements(db).rolesOf.all({ incidentId });
}

/** Incidents not yet resolved, newest first. */
export async function listOpenIncidents(db: Db, limit: number): Promise<Incident[]> {
  return (await statements(db).openIncidents.all({ limit })).map((row) => ({ ...row.incident, leadId: row.leadId ?? row.incident.declaredBy }));
}

/** The latest status update posted for the incident. */
export async function lastStatusUpdate(db: Db, incidentId: number): Promise<TimelineEvent | undefined> {
  return statements(db).lastUpdate.get({ incidentId });
}

export async function getTimelineEvent(db: Db, eventId: number): Promise<TimelineEvent | undefined> {
  return statements(db).timelineEvent.get({ id: eventId });
}
