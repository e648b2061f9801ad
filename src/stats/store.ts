/**
 * What the stats report is computed from, read in one go with statements prepared once per database: only rows
 * inside the period (incidents declared or resolved in it, pages and recurrences in it), plus the problem tickets
 * open now. Drills and services are kept as columns: the report leaves them out, so that rule is in pure code.
 */
import { and, between, eq, isNull, or, sql } from 'drizzle-orm';
import { incidents, pages, postmortems, problemRecurrences, problems } from '../../db/schema.ts';
import { preparedStatements, type Db } from '../core/db.ts';
import type { StatsRows } from './report.ts';

const p = sql.placeholder;

const statements = preparedStatements((db) => ({
  incidents: db
    .select({
      severity: incidents.severity,
      serviceId: incidents.serviceId,
      isDrill: incidents.isDrill,
      declaredAt: incidents.declaredAt,
      acknowledgedAt: incidents.acknowledgedAt,
      resolvedAt: incidents.resolvedAt,
      // completed_at stays set when a draft is saved over a complete version (migration 0008): it was completed.
      postmortemComplete: sql<boolean>`${postmortems.completedAt} is not null`.mapWith(Boolean),
    })
    .from(incidents)
    .leftJoin(postmortems, eq(postmortems.incidentId, incidents.id))
    .where(or(between(incidents.declaredAt, p('from'), p('to')), between(incidents.resolvedAt, p('from'), p('to'))))
    .prepare(),
  // A page whose DM could not be delivered (delivery_error) was never received, so it is no load on anyone.
  pages: db
    .select({ userId: pages.userId, via: pages.via, pagedAt: pages.pagedAt, serviceId: incidents.serviceId, isDrill: incidents.isDrill })
    .from(pages)
    .innerJoin(incidents, eq(incidents.id, pages.incidentId))
    .where(and(between(pages.pagedAt, p('from'), p('to')), isNull(pages.deliveryError)))
    .prepare(),
  openProblems: db
    .select({ dueDate: problems.dueDate, serviceId: incidents.serviceId, isDrill: incidents.isDrill })
    .from(problems)
    .innerJoin(incidents, eq(incidents.id, problems.incidentId))
    .where(eq(problems.status, 'open'))
    .prepare(),
  recurrences: db
    .select({ at: problemRecurrences.at, serviceId: incidents.serviceId, isDrill: incidents.isDrill })
    .from(problemRecurrences)
    .innerJoin(incidents, eq(incidents.id, problemRecurrences.incidentId))
    .where(between(problemRecurrences.at, p('from'), p('to')))
    .prepare(),
}));

/** The rows of the period [from, to] (epoch ms, both included). */
export async function statsRows(db: Db, from: number, to: number): Promise<StatsRows> {
  const s = statements(db);
  const period = { from, to };
  return { incidents: await s.incidents.all(period), pages: await s.pages.all(period), openProblems: await s.openProblems.all(), recurrences: await s.recurrences.all(period) };
}
