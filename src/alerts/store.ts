/**
 * The alerts feature's queries, prepared once per database: alert groups (what one page is about) and their
 * alerts. Inside a use case's `transaction(db, …)`, call these with the same `db`.
 */
import { and, asc, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import { alertGroups, alerts, heartbeats } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';

export type AlertGroupRow = typeof alertGroups.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;

const p = sql.placeholder;
const bump = sql`${alertGroups.revision} + 1`;

const statements = preparedStatements((db) => ({
  insertGroup: db
    .insert(alertGroups)
    .values({ integrationId: p('integrationId'), groupKey: p('groupKey'), serviceId: p('serviceId'), urgency: p('urgency'), status: 'firing', title: p('title'), firingSince: p('firingSince'), openedAt: p('at'), updatedAt: p('at') })
    .returning({ id: alertGroups.id })
    .prepare(),
  getGroup: db.select().from(alertGroups).where(eq(alertGroups.id, p('id'))).prepare(),
  openGroupByKey: db
    .select()
    .from(alertGroups)
    .where(and(eq(alertGroups.integrationId, p('integrationId')), eq(alertGroups.groupKey, p('groupKey')), ne(alertGroups.status, 'resolved')))
    .prepare(),
  /** The open alert with this fingerprint from this integration, in whichever open group holds it (folded ones too). */
  openAlertByFingerprint: db
    .select({ alert: alerts })
    .from(alerts)
    .innerJoin(alertGroups, eq(alertGroups.id, alerts.groupId))
    .where(and(eq(alertGroups.integrationId, p('integrationId')), eq(alerts.fingerprint, p('fingerprint')), ne(alertGroups.status, 'resolved')))
    .prepare(),
  /** The groups of a service opened since a time, newest first: how many pages a storm has made so far. */
  groupsOpenedSince: db
    .select()
    .from(alertGroups)
    .where(and(eq(alertGroups.serviceId, p('serviceId')), gte(alertGroups.openedAt, p('since'))))
    .orderBy(desc(alertGroups.id))
    .prepare(),
  openGroups: db.select().from(alertGroups).where(ne(alertGroups.status, 'resolved')).orderBy(asc(alertGroups.id)).prepare(),
  // Subqueries name their tables: drizzle leaves the columns of a one-table query unqualified.
  openGroupsWithCounts: db
    .select({
      group: alertGroups,
      alerts: sql<number>`(select count(*) from alerts a where a.group_id = alert_groups.id)`,
      firing: sql<number>`(select count(*) from alerts a where a.group_id = alert_groups.id and a.status = 'firing')`,
    })
    .from(alertGroups)
    .where(ne(alertGroups.status, 'resolved'))
    .orderBy(desc(alertGroups.id))
    .prepare(),
  insertAlert: db
    .insert(alerts)
    .values({
      groupId: p('groupId'),
      fingerprint: p('fingerprint'),
      status: p('status'),
      summary: p('summary'),
      description: p('description'),
      labels: p('labels'),
      annotations: p('annotations'),
      sourceUrl: p('sourceUrl'),
      runbookUrl: p('runbookUrl'),
      dashboardUrl: p('dashboardUrl'),
      startsAt: p('startsAt'),
      endsAt: p('endsAt'),
      firstReceivedAt: p('at'),
      lastReceivedAt: p('at'),
    })
    .prepare(),
  updateAlert: db
    .update(alerts)
    .set({
      status: param('status'),
      summary: param('summary'),
      description: param('description'),
      labels: param('labels'),
      annotations: param('annotations'),
      sourceUrl: param('sourceUrl'),
      runbookUrl: param('runbookUrl'),
      dashboardUrl: param('dashboardUrl'),
      endsAt: param('endsAt'),
      lastReceivedAt: param('at'),
      timesReceived: sql`${alerts.timesReceived} + 1`,
    })
    .where(eq(alerts.id, p('id')))
    .prepare(),
  alertsOf: db.select().from(alerts).where(eq(alerts.groupId, p('groupId'))).orderBy(asc(alerts.id)).prepare(),
  addFolded: db.update(alertGroups).set({ folded: sql`${alertGroups.folded} + 1`, revision: bump, updatedAt: param('at') }).where(eq(alertGroups.id, p('id'))).prepare(),
  bumpGroup: db.update(alertGroups).set({ revision: bump, updatedAt: param('at') }).where(eq(alertGroups.id, p('id'))).prepare(),
  acknowledgeGroup: db
    .update(alertGroups)
    .set({ status: 'acknowledged', acknowledgedBy: param('userId'), acknowledgedAt: param('at'), revision: bump, updatedAt: param('at') })
    .where(and(eq(alertGroups.id, p('id')), eq(alertGroups.status, 'firing')))
    .prepare(),
  resolveGroup: db
    .update(alertGroups)
    .set({ status: 'resolved', resolvedBy: param('userId'), resolvedAt: param('at'), revision: bump, updatedAt: param('at') })
    .where(and(eq(alertGroups.id, p('id')), ne(alertGroups.status, 'resolved')))
    .prepare(),
  linkIncident: db.update(alertGroups).set({ incidentId: param('incidentId'), revision: bump, updatedAt: param('at') }).where(and(eq(alertGroups.id, p('id')), isNull(alertGroups.incidentId))).prepare(),
  setGroupMessage: db.update(alertGroups).set({ channelId: param('channelId'), channelTs: param('ts') }).where(eq(alertGroups.id, p('id'))).prepare(),
}));

export type NewAlertGroup = { integrationId: string; groupKey: string; serviceId: string | null; urgency: 'high' | 'low'; title: string; firingSince: number };

export async function insertAlertGroup(db: Db, group: NewAlertGroup, at: number): Promise<number> {
  return (await statements(db).insertGroup.get({ ...group, at }))!.id;
}

export async function getAlertGroup(db: Db, id: number): Promise<AlertGroupRow | undefined> {
  return statements(db).getGroup.get({ id });
}

export async function openGroupByKey(db: Db, integrationId: string, groupKey: string): Promise<AlertGroupRow | undefined> {
  return statements(db).openGroupByKey.get({ integrationId, groupKey });
}

export async function openAlertByFingerprint(db: Db, integrationId: string, fingerprint: string): Promise<AlertRow | undefined> {
  return (await statements(db).openAlertByFingerprint.get({ integrationId, fingerprint }))?.alert;
}

export async function groupsOpenedSince(db: Db, serviceId: string, since: number): Promise<AlertGroupRow[]> {
  return statements(db).groupsOpenedSince.all({ serviceId, since });
}

/** Every group still firing or acknowledged, oldest first. */
export async function openAlertGroups(db: Db): Promise<AlertGroupRow[]> {
  return statements(db).openGroups.all({});
}

/** Every group still firing or acknowledged, newest first, with how many alerts it holds and how many of them fire. */
export async function openAlertGroupsWithCounts(db: Db): Promise<{ group: AlertGroupRow; alerts: number; firing: number }[]> {
  return (await statements(db).openGroupsWithCounts.all({})).map((row) => ({ group: row.group, alerts: Number(row.alerts), firing: Number(row.firing) }));
}

export type AlertFields = Pick<AlertRow, 'fingerprint' | 'status' | 'summary' | 'description' | 'labels' | 'annotations' | 'sourceUrl' | 'runbookUrl' | 'dashboardUrl' | 'startsAt' | 'endsAt'>;

export async function insertAlert(db: Db, groupId: number, alert: AlertFields, at: number): Promise<void> {
  await statements(db).insertAlert.run({ groupId, ...alert, at });
}

/** The same alert sent again: what it says now, and one more time received. */
export async function updateAlert(db: Db, id: number, alert: Omit<AlertFields, 'fingerprint' | 'startsAt'>, at: number): Promise<void> {
  await statements(db).updateAlert.run({ id, ...alert, labels: JSON.stringify(alert.labels), annotations: JSON.stringify(alert.annotations), at });
}

export async function alertsOf(db: Db, groupId: number): Promise<AlertRow[]> {
  return statements(db).alertsOf.all({ groupId });
}

export async function addFoldedAlert(db: Db, groupId: number, at: number): Promise<void> {
  await statements(db).addFolded.run({ id: groupId, at });
}

/** Something its message shows changed (an alert resolved, one more received). */
export async function bumpAlertGroup(db: Db, groupId: number, at: number): Promise<void> {
  await statements(db).bumpGroup.run({ id: groupId, at });
}

/** Returns whether this call acknowledged it (it was firing). */
export async function acknowledgeAlertGroup(db: Db, groupId: number, userId: string, at: number): Promise<boolean> {
  return (await statements(db).acknowledgeGroup.run({ id: groupId, userId, at })).changes > 0;
}

/** `userId`: who resolved it, or null for its source. Returns whether this call resolved it. */
export async function resolveAlertGroup(db: Db, groupId: number, userId: string | null, at: number): Promise<boolean> {
  return (await statements(db).resolveGroup.run({ id: groupId, userId, at })).changes > 0;
}

export async function setAlertGroupMessage(db: Db, groupId: number, channelId: string, ts: string): Promise<void> {
  await statements(db).setGroupMessage.run({ id: groupId, channelId, ts });
}

/** The incident declared from it (only the first: a group becomes one incident). */
export async function linkAlertGroupIncident(db: Db, groupId: number, incidentId: number, at: number): Promise<void> {
  await statements(db).linkIncident.run({ id: groupId, incidentId, at });
}

// ---------------------------------------------------------------------------------------------- heartbeats

export type HeartbeatRow = typeof heartbeats.$inferSelect;

const heartbeatStatements = preparedStatements((db) => ({
  get: db.select().from(heartbeats).where(eq(heartbeats.integrationId, p('integrationId'))).prepare(),
  put: db
    .insert(heartbeats)
    .values({ integrationId: p('integrationId'), lastHeartbeatAt: p('lastHeartbeatAt'), deadlineFrom: p('deadlineFrom'), deadlineAt: p('deadlineAt'), missedGroupId: p('missedGroupId'), updatedAt: p('updatedAt') })
    .onConflictDoUpdate({
      target: heartbeats.integrationId,
      set: {
        lastHeartbeatAt: sql`excluded.last_heartbeat_at`,
        deadlineFrom: sql`excluded.deadline_from`,
        deadlineAt: sql`excluded.deadline_at`,
        missedGroupId: sql`excluded.missed_group_id`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare(),
}));

export async function getHeartbeat(db: Db, integrationId: string): Promise<HeartbeatRow | undefined> {
  return heartbeatStatements(db).get.get({ integrationId });
}

/** Writes the integration's row whole (read it in the same transaction first). */
export async function saveHeartbeat(db: Db, row: HeartbeatRow): Promise<void> {
  await heartbeatStatements(db).put.run({ ...row });
}
