/**
 * The figures of /metrics that are facts in the database, read with a few aggregate queries prepared once per
 * database (on SQLite a slow scrape holds the thread's one connection: it would hold up every request). Drills
 * are left out of every incident, page and escalation figure: they are practice, not incidents. Alerts are
 * counted from their rows too: what monitoring sent is recorded before the webhook is answered, whichever
 * thread or instance answered it.
 */
import { and, asc, eq, gt, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { alertGroups, alerts, escalationSteps, escalations, incidents, jobs, pages } from '../../db/schema.ts';
import { jsonField, preparedStatements, transaction, type Db } from '../core/db.ts';
import { TIME_TO_ACKNOWLEDGE_BOUNDS, TIME_TO_RESOLVE_BOUNDS } from './buckets.ts';

export interface IncidentGroup {
  /** Its severity now. */
  severity: string;
  serviceId: string | null;
  /** How many are not resolved. */
  open: number;
}

/** An incident as it was declared: these facts never change, so they are read once per incident. */
export interface DeclaredIncident {
  id: number;
  /** The severity it was declared with (a later change must not take it back out of a counter). */
  severity: string;
  serviceId: string | null;
  isDrill: boolean;
}

export interface DurationCounts {
  count: number;
  sumMs: number;
  /** Cumulative: how many took at most each bound of the histogram. */
  atMost: number[];
}

/** What one integration's alerts did, since the first (alert rows are never deleted, so each figure only grows). */
export interface AlertFigures {
  /** The integration's id (the one its alert groups came to). */
  integration: string;
  /** Every time an alert was sent and recorded: its first time and each time again. */
  received: number;
  /** Sent again while open (Alertmanager's repeat_interval, a resolved notification): updated, paged nobody. */
  deduplicated: number;
  /** New alerts that joined an open group of their source's group key rather than starting one. */
  grouped: number;
  /** New alerts folded into another group during a storm. */
  folded: number;
  /** Alert groups that started an escalation. */
  paged: number;
}

export interface DatabaseFacts {
  /** Drills left out. */
  incidents: IncidentGroup[];
  /** Every incident after the id asked for, drills included (flagged), in id order. */
  declaredSince: DeclaredIncident[];
  timeToAcknowledge: DurationCounts;
  timeToResolve: DurationCounts;
  pages: { sent: number; acknowledged: number };
  escalations: { escalated: number; exhausted: number };
  failedJobs: { kind: string; count: number }[];
  /** By integration, in id order. */
  alerts: AlertFigures[];
}

const notDrill = eq(incidents.isDrill, false);
/** Pages and escalations of an alert group (no incident), or of an incident that is not a drill. */
const notDrillPaging = (incidentId: AnySQLiteColumn) => or(isNull(incidentId), notDrill);
// The declaration's timeline entry keeps the severity it was declared with (found through the (incident_id, at) index).
// A subquery rather than a join of an aliased table, which only SQLite's dialect renders; its names are written
// out, since drizzle leaves columns of a one-table query unqualified.
const declaredSeverity = (db: Db) =>
  sql<string>`coalesce((select ${jsonField(db, sql.raw('d.data'), 'severity')} from timeline_events d where d.incident_id = incidents.id and d.at = incidents.declared_at and d.kind = 'declared' limit 1), ${incidents.severity})`;

/** count, sum and one cumulative count per bound of `until − declared_at`, for incidents where `until` is set. */
function durationColumns(prefix: string, until: AnySQLiteColumn, bounds: readonly number[]): Record<string, SQL<number>> {
  const ms = sql`(${until} - ${incidents.declaredAt})`;
  const columns: Record<string, SQL<number>> = {
    [`${prefix}Count`]: sql<number>`count(${until})`,
    [`${prefix}Sum`]: sql<number>`coalesce(sum(${ms}), 0)`,
  };
  bounds.forEach((bound, i) => (columns[`${prefix}Le${i}`] = sql<number>`count(case when ${ms} <= ${bound * 1000} then 1 end)`));
  return columns;
}

const statements = preparedStatements((db) => ({
  incidentGroups: db
    .select({ severity: incidents.severity, serviceId: incidents.serviceId, open: sql<number>`count(case when ${incidents.status} <> 'resolved' then 1 end)` })
    .from(incidents)
    .where(notDrill)
    .groupBy(incidents.severity, incidents.serviceId)
    .prepare(),
  // Incident ids only grow, and writers commit one at a time: nothing can appear later below an id already seen.
  declaredSince: db
    .select({ id: incidents.id, severity: declaredSeverity(db), serviceId: incidents.serviceId, isDrill: incidents.isDrill })
    .from(incidents)
    .where(gt(incidents.id, sql.placeholder('afterId')))
    .orderBy(asc(incidents.id))
    .prepare(),
  durations: db
    .select({ ...durationColumns('ack', incidents.acknowledgedAt, TIME_TO_ACKNOWLEDGE_BOUNDS), ...durationColumns('res', incidents.resolvedAt, TIME_TO_RESOLVE_BOUNDS) })
    .from(incidents)
    .where(notDrill)
    .prepare(),
  pages: db
    .select({ sent: sql<number>`count(*)`, acknowledged: sql<number>`count(case when ${pages.status} = 'acknowledged' then 1 end)` })
    .from(pages)
    .leftJoin(incidents, eq(incidents.id, pages.incidentId))
    .where(notDrillPaging(pages.incidentId))
    .prepare(),
  escalated: db
    .select({ n: sql<number>`count(*)` })
    .from(escalationSteps)
    .innerJoin(escalations, eq(escalations.id, escalationSteps.escalationId))
    .leftJoin(incidents, eq(incidents.id, escalations.incidentId))
    .where(and(eq(escalationSteps.status, 'escalated'), notDrillPaging(escalations.incidentId)))
    .prepare(),
  // exhausted_at stays set when a late acknowledgement comes, so this only grows, as a counter must.
  exhausted: db
    .select({ n: sql<number>`count(*)` })
    .from(escalations)
    .leftJoin(incidents, eq(incidents.id, escalations.incidentId))
    .where(and(isNotNull(escalations.exhaustedAt), notDrillPaging(escalations.incidentId)))
    .prepare(),
  failedJobs: db.select({ kind: jobs.kind, count: sql<number>`count(*)` }).from(jobs).where(eq(jobs.status, 'failed')).groupBy(jobs.kind).prepare(),
  // A folded alert is recorded in its host group, so it counts under the host's integration.
  alertsByIntegration: db
    .select({
      integration: alertGroups.integrationId,
      received: sql<number>`coalesce(sum(${alerts.timesReceived}), 0)`,
      alerts: sql<number>`count(*)`,
      groups: sql<number>`count(distinct ${alerts.groupId})`,
    })
    .from(alerts)
    .innerJoin(alertGroups, eq(alertGroups.id, alerts.groupId))
    .groupBy(alertGroups.integrationId)
    .prepare(),
  // The subquery's names are written out: drizzle leaves the columns of a one-table query unqualified.
  alertGroupsByIntegration: db
    .select({
      integration: alertGroups.integrationId,
      folded: sql<number>`coalesce(sum(${alertGroups.folded}), 0)`,
      paged: sql<number>`count(case when exists (select 1 from escalations e where e.alert_group_id = alert_groups.id) then 1 end)`,
    })
    .from(alertGroups)
    .groupBy(alertGroups.integrationId)
    .prepare(),
}));

/**
 * Every figure at one moment (the queries share one read-only transaction, so they agree with each other and wait
 * for no writer), with the incidents declared after `declaredAfterId`.
 */
export async function readDatabaseFacts(db: Db, declaredAfterId: number): Promise<DatabaseFacts> {
  const stmt = statements(db);
  return transaction(db, async () => {
    const durations = (await stmt.durations.get()) as Record<string, number | null> | undefined;
    const page = await stmt.pages.get();
    return {
      incidents: await stmt.incidentGroups.all(),
      declaredSince: await stmt.declaredSince.all({ afterId: declaredAfterId }),
      timeToAcknowledge: durationCounts(durations, 'ack', TIME_TO_ACKNOWLEDGE_BOUNDS.length),
      timeToResolve: durationCounts(durations, 'res', TIME_TO_RESOLVE_BOUNDS.length),
      pages: { sent: page?.sent ?? 0, acknowledged: page?.acknowledged ?? 0 },
      escalations: { escalated: (await stmt.escalated.get())?.n ?? 0, exhausted: (await stmt.exhausted.get())?.n ?? 0 },
      failedJobs: await stmt.failedJobs.all(),
      alerts: alertFigures(await stmt.alertsByIntegration.all(), await stmt.alertGroupsByIntegration.all()),
    };
  }, { readOnly: true });
}

/**
 * Each group starts with one alert and holds, besides it, the alerts that joined it and those folded into it;
 * so the alerts grouped are the alerts beyond each group's first, less those folded (all three only grow).
 */
function alertFigures(
  byAlerts: { integration: string; received: number; alerts: number; groups: number }[],
  byGroups: { integration: string; folded: number; paged: number }[],
): AlertFigures[] {
  const figures = new Map<string, AlertFigures>();
  const of = (integration: string): AlertFigures => {
    let f = figures.get(integration);
    if (!f) figures.set(integration, (f = { integration, received: 0, deduplicated: 0, grouped: 0, folded: 0, paged: 0 }));
    return f;
  };
  for (const g of byGroups) Object.assign(of(g.integration), { folded: Number(g.folded), paged: Number(g.paged) });
  for (const a of byAlerts) {
    const f = of(a.integration);
    f.received = Number(a.received);
    f.deduplicated = Number(a.received) - Number(a.alerts);
    f.grouped = Math.max(0, Number(a.alerts) - Number(a.groups) - f.folded);
  }
  return [...figures.values()].sort((a, b) => (a.integration < b.integration ? -1 : a.integration > b.integration ? 1 : 0));
}

function durationCounts(row: Record<string, number | null> | undefined, prefix: string, bounds: number): DurationCounts {
  const value = (column: string) => Number(row?.[`${prefix}${column}`] ?? 0);
  return { count: value('Count'), sumMs: value('Sum'), atMost: Array.from({ length: bounds }, (_, i) => value(`Le${i}`)) };
}
