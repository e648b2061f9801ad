/** The incidents feature's queries. Synchronous; each takes the database or a transaction. */
import { and, eq } from 'drizzle-orm';
import { incidentRoles, incidents, timelineEvents } from '../../db/schema.ts';
import type { DbOrTx } from '../core/db.ts';
import type { Incident } from './incident.ts';
import type { Severity } from './severity.ts';
import type { Status } from './status.ts';

type IncidentRow = typeof incidents.$inferSelect;
export type { Incident };

export interface NewIncident {
  title: string;
  summary: string;
  severity: Severity;
  serviceId: string | null;
  isPrivate: boolean;
  declaredBy: string;
  declaredAt: number;
}

const status: Status = 'investigating';

/** Inserts the incident and returns it; its id (the INC number) is allocated by SQLite in this transaction. */
export function insertIncident(tx: DbOrTx, incident: NewIncident): IncidentRow {
  return tx
    .insert(incidents)
    .values({ ...incident, status, updatedAt: incident.declaredAt })
    .returning()
    .get();
}

export function assignRole(tx: DbOrTx, incidentId: number, role: 'lead' | 'comms' | 'scribe', userId: string, assignedBy: string, at: number): void {
  tx.insert(incidentRoles)
    .values({ incidentId, role, userId, assignedBy, assignedAt: at })
    .onConflictDoUpdate({ target: [incidentRoles.incidentId, incidentRoles.role], set: { userId, assignedBy, assignedAt: at } })
    .run();
}

export function addTimelineEvent(tx: DbOrTx, event: typeof timelineEvents.$inferInsert): void {
  tx.insert(timelineEvents).values(event).onConflictDoNothing({ target: timelineEvents.key }).run();
}

export function getIncident(db: DbOrTx, id: number): Incident | undefined {
  const row = db.select().from(incidents).where(eq(incidents.id, id)).get();
  if (!row) return undefined;
  const lead = db
    .select({ userId: incidentRoles.userId })
    .from(incidentRoles)
    .where(and(eq(incidentRoles.incidentId, id), eq(incidentRoles.role, 'lead')))
    .get();
  return { ...row, leadId: lead?.userId ?? row.declaredBy };
}

export function findIncidentIdByChannel(db: DbOrTx, channelId: string): number | undefined {
  return db.select({ id: incidents.id }).from(incidents).where(eq(incidents.channelId, channelId)).get()?.id;
}

type SlackPlaces = Partial<Pick<IncidentRow, 'channelId' | 'channelName' | 'summaryTs' | 'announcementChannelId' | 'announcementTs' | 'provisioning' | 'provisioningError'>>;

/** Records where the incident lives in Slack as provisioning goes. */
export function updateSlackPlaces(db: DbOrTx, id: number, places: SlackPlaces, at: number): void {
  db.update(incidents)
    .set({ ...places, updatedAt: at })
    .where(eq(incidents.id, id))
    .run();
}

export function listTimeline(db: DbOrTx, incidentId: number): (typeof timelineEvents.$inferSelect)[] {
  return db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.at, timelineEvents.id).all();
}
