/**
 * The incidents feature's queries, prepared once per database. They run inside a use case's
 * `db.transaction(…)` when called from its callback (better-sqlite3 transactions belong to the connection).
 */
import { and, eq, sql } from 'drizzle-orm';
import { incidentRoles, incidents, timelineEvents } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';
import type { Incident } from './incident.ts';
import type { Severity } from './severity.ts';

export interface NewIncident {
  title: string;
  summary: string;
  severity: Severity;
  serviceId: string | null;
  isPrivate: boolean;
  declaredBy: string;
  declaredAt: number;
}

export type NewTimelineEvent = typeof timelineEvents.$inferInsert;
type Role = (typeof incidentRoles.$inferSelect)['role'];

const p = sql.placeholder;
const id = p('id');

const statements = preparedStatements((db) => ({
  insertIncident: db
    .insert(incidents)
    .values({ title: p('title'), summary: p('summary'), severity: p('severity'), serviceId: p('serviceId'), isPrivate: p('isPrivate'), declaredBy: p('declaredBy'), declaredAt: p('declaredAt'), status: 'investigating', updatedAt: p('declaredAt') })
    .returning({ id: incidents.id })
    .prepare(),
  assignRole: db
    .insert(incidentRoles)
    .values({ incidentId: p('incidentId'), role: p('role'), userId: p('userId'), assignedBy: p('assignedBy'), assignedAt: p('at') })
    .onConflictDoUpdate({ target: [incidentRoles.incidentId, incidentRoles.role], set: { userId: sql`excluded.user_id`, assignedBy: sql`excluded.assigned_by`, assignedAt: sql`excluded.assigned_at` } })
    .prepare(),
  addTimelineEvent: db
    .insert(timelineEvents)
    .values({ incidentId: p('incidentId'), kind: p('kind'), at: p('at'), actorId: p('actorId'), text: p('text'), data: p('data'), key: p('key'), recordedAt: p('recordedAt') })
    .onConflictDoNothing({ target: timelineEvents.key })
    .prepare(),
  getIncident: db
    .select({ incident: incidents, leadId: incidentRoles.userId })
    .from(incidents)
    .leftJoin(incidentRoles, and(eq(incidentRoles.incidentId, incidents.id), eq(incidentRoles.role, 'lead')))
    .where(eq(incidents.id, id))
    .prepare(),
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
  timeline: db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, p('incidentId'))).orderBy(timelineEvents.at, timelineEvents.id).prepare(),
}));

/** Inserts the incident and returns its id (the INC number), allocated by SQLite in the caller's transaction. */
export function insertIncident(db: Db, incident: NewIncident): number {
  return statements(db).insertIncident.get({ ...incident })!.id;
}

export function assignRole(db: Db, incidentId: number, role: Role, userId: string, assignedBy: string, at: number): void {
  statements(db).assignRole.run({ incidentId, role, userId, assignedBy, at });
}

export function addTimelineEvent(db: Db, event: NewTimelineEvent): void {
  statements(db).addTimelineEvent.run({ actorId: null, text: null, data: null, key: null, ...event });
}

export function getIncident(db: Db, incidentId: number): Incident | undefined {
  const row = statements(db).getIncident.get({ id: incidentId });
  return row ? { ...row.incident, leadId: row.leadId ?? row.incident.declaredBy } : undefined;
}

export function findIncidentIdByChannel(db: Db, channelId: string): number | undefined {
  return statements(db).idByChannel.get({ channelId })?.id;
}

export function setIncidentChannel(db: Db, incidentId: number, channel: { id: string; name: string }, at: number): void {
  statements(db).setChannel.run({ id: incidentId, channelId: channel.id, channelName: channel.name, at });
}

export function setSummaryMessage(db: Db, incidentId: number, ts: string, at: number): void {
  statements(db).setSummary.run({ id: incidentId, ts, at });
}

export function setAnnouncement(db: Db, incidentId: number, channelId: string, ts: string, at: number): void {
  statements(db).setAnnouncement.run({ id: incidentId, channelId, ts, at });
}

/** Whether the channel, summary and announcement exist yet (`done`), or why not (`failed`). */
export function setProvisioning(db: Db, incidentId: number, state: Incident['provisioning'], error: string | null, at: number): void {
  statements(db).setProvisioning.run({ id: incidentId, state, error, at });
}

export function listTimeline(db: Db, incidentId: number): (typeof timelineEvents.$inferSelect)[] {
  return statements(db).timeline.all({ incidentId });
}

/** Records the incident's first acknowledgement; later ones leave it as it is. */
export function recordAcknowledgement(db: Db, incidentId: number, userId: string, at: number): void {
  statements(db).recordAcknowledgement.run({ id: incidentId, userId, at });
}
